package dev.berth.deploy.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat requests the fake model received, counted per input: evidence of the model calls
 * Berth made that Berth itself did not write. A request belongs to the input of its last user
 * message (a session's runs follow one another, so the last user message is the current run's
 * input); it was made before the tool ran when it ends with that user message, after the tool
 * when it ends with the tool's result.
 */
final class ModelRequests {
    private final Map<String, Integer> beforeTools = new HashMap<>();
    private final Map<String, Integer> afterTools = new HashMap<>();
    private int total;

    ModelRequests(List<JsonNode> bodies) {
        for (JsonNode body : bodies) {
            JsonNode messages = body.path("messages");
            if (!messages.isArray() || messages.isEmpty()) {
                continue;
            }
            String input = null;
            for (JsonNode message : messages) {
                if ("user".equals(message.path("role").asText())) {
                    input = text(message.path("content"));
                }
            }
            if (input == null) {
                continue;
            }
            total++;
            boolean afterTool = "tool".equals(messages.get(messages.size() - 1).path("role").asText());
            (afterTool ? afterTools : beforeTools).merge(input, 1, Integer::sum);
        }
    }

    /** Requests for {@code input} made before its tool ran (the answer asking for the tool). */
    int beforeTools(String input) {
        return beforeTools.getOrDefault(input, 0);
    }

    /** Requests for {@code input} made with its tool's result (the final answer). */
    int afterTools(String input) {
        return afterTools.getOrDefault(input, 0);
    }

    int total() {
        return total;
    }

    /** A message's content: a string, or an array of parts whose text is joined. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder joined = new StringBuilder();
        content.forEach(part -> joined.append(part.path("text").asText()));
        return joined.toString();
    }
}
