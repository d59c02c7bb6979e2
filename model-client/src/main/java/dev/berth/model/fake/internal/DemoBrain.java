package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fake's deterministic default when no reply is scripted, used by Berth's offline demo:
 * summarise tool output, call a tool whose name or description matches the user's words, or
 * echo the user. Same request in, same answer out (apart from generated ids: a
 * tool call's id is fresh per call, as a model's are, so that two calls with the same words never share one).
 */
public final class DemoBrain {
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "is", "it", "are", "was", "be", "to",
            "of", "and", "or", "in", "on", "at", "for", "with", "what", "who", "how", "why", "when", "where", "which",
            "me", "my", "i", "you", "your", "we", "our", "do", "does", "did", "can", "could", "would", "should",
            "please", "this", "that", "these", "those", "from", "by", "as", "about", "get", "give", "tell", "show",
            "some", "any", "now", "there", "here", "its", "have", "has", "will", "just", "so", "if", "then", "than",
            "into", "out", "up", "down", "all", "no", "not", "yes", "hi", "hello", "use", "using", "current", "let");

    private DemoBrain() {
    }

    /** The answer to a chat-completions request body. */
    public static FakeReply answer(JsonNode request) {
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return FakeReply.text("Demo mode (offline fake model): there was nothing to answer.");
        }
        JsonNode format = request.path("response_format");
        if ("json_schema".equals(format.path("type").asText())) {
            // Structured output: the simplest JSON the schema allows (empty arrays, first enum values).
            return FakeReply.text(minimal(format.path("json_schema").path("schema")).toString());
        }
        JsonNode last = messages.get(messages.size() - 1);
        String role = ModelJson.str(last, "role");
        if ("tool".equals(role)) {
            return FakeReply.text(summariseTools(messages));
        }
        String userText = contentText(last.get("content"));
        if ("user".equals(role)) {
            JsonNode tool = chooseTool(request, userText);
            if (tool != null) {
                JsonNode fn = tool.path("function");
                String args = defaults(fn.path("parameters"), userText).toString();
                return FakeReply.toolCalls(new ToolCall(ChatCompletions.newId("call_demo_"),
                        ModelJson.str(fn, "name"), args));
            }
        }
        return FakeReply.text("Demo mode (offline fake model): you said \"" + userText + "\".");
    }

    /** Honours {@code tool_choice}: none, a forced function, required (first tool if no word matches), auto. */
    private static JsonNode chooseTool(JsonNode request, String userText) {
        JsonNode tools = request.path("tools");
        JsonNode choice = request.path("tool_choice");
        if ("none".equals(choice.asText()) || !tools.isArray() || tools.isEmpty()) {
            return null;
        }
        // chat completions nest the forced name under "function"; the Responses API does not
        String forced = choice.isObject() ? ModelJson.str(choice.has("function") ? choice.get("function") : choice, "name") : null;
        if (forced != null) {
            for (JsonNode t : tools) {
                if (forced.equals(ModelJson.str(t.path("function"), "name"))) {
                    return t;
                }
            }
        }
        JsonNode matched = matchingTool(tools, userText);
        return matched == null && "required".equals(choice.asText()) ? tools.get(0) : matched;
    }

    /** "The tool X returned: ...", for every tool message after the last assistant message. */
    private static String summariseTools(JsonNode messages) {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode m : messages) {
            for (JsonNode call : m.path("tool_calls")) {
                names.put(ModelJson.str(call, "id"), ModelJson.str(call.path("function"), "name"));
            }
        }
        List<String> parts = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(ModelJson.str(messages.get(i), "role")); i--) {
            JsonNode m = messages.get(i);
            String name = names.getOrDefault(ModelJson.str(m, "tool_call_id"), "tool");
            parts.addFirst("The tool " + name + " returned: " + contentText(m.get("content")) + ".");
        }
        return String.join(" ", parts);
    }

    private static JsonNode matchingTool(JsonNode tools, String userText) {
        Set<String> words = stems(words(userText));
        if (words.isEmpty()) {
            return null;
        }
        for (JsonNode tool : tools) {
            JsonNode fn = tool.path("function");
            Set<String> toolWords = stems(words(ModelJson.str(fn, "name") + " " + ModelJson.str(fn, "description")));
            for (String w : words) {
                if (toolWords.contains(w)) {
                    return tool;
                }
            }
        }
        return null;
    }

    static Set<String> words(String text) {
        Set<String> words = new java.util.LinkedHashSet<>();
        if (text == null) {
            return words;
        }
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 1 && !STOP_WORDS.contains(w) && !w.equals("null")) {
                words.add(w);
            }
        }
        return words;
    }

    /** Crude plural folding so "emails" matches "send_email". */
    private static Set<String> stems(Set<String> words) {
        Set<String> out = new java.util.HashSet<>();
        for (String w : words) {
            out.add(w.length() > 3 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w);
        }
        return out;
    }

    /** An arguments object with simple values for the schema's required properties. */
    private static ObjectNode defaults(JsonNode schema, String userText) {
        ObjectNode args = ModelJson.object();
        JsonNode props = schema.path("properties");
        List<String> words = new ArrayList<>(words(userText));
        String word = words.isEmpty() ? "demo" : words.getLast();
        for (JsonNode req : schema.path("required")) {
            String name = req.asText();
            JsonNode p = props.path(name);
            JsonNode en = p.get("enum");
            if (en != null && en.isArray() && !en.isEmpty()) {
                args.set(name, en.get(0));
                continue;
            }
            if (nullable(p)) {
                // An optional parameter: leave it out as a person would, rather than guess a value.
                args.putNull(name);
                continue;
            }
            String type = p.path("type").isArray() ? p.path("type").get(0).asText() : p.path("type").asText("string");
            switch (type) {
                case "number", "integer" -> args.put(name, 1);
                case "boolean" -> args.put(name, true);
                case "array" -> args.putArray(name);
                case "object" -> args.putObject(name);
                default -> args.put(name, word);
            }
        }
        return args;
    }

    /** The smallest value matching a JSON schema: required properties only, empty arrays, first enum value. */
    private static JsonNode minimal(JsonNode schema) {
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && !en.isEmpty()) {
            return en.get(0);
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        return switch (type) {
            case "object" -> {
                ObjectNode object = ModelJson.object();
                for (JsonNode required : schema.path("required")) {
                    object.set(required.asText(), minimal(schema.path("properties").path(required.asText())));
                }
                yield object;
            }
            case "array" -> ModelJson.array();
            case "number", "integer" -> com.fasterxml.jackson.databind.node.IntNode.valueOf(0);
            case "boolean" -> com.fasterxml.jackson.databind.node.BooleanNode.FALSE;
            case "null" -> com.fasterxml.jackson.databind.node.NullNode.getInstance();
            default -> com.fasterxml.jackson.databind.node.TextNode.valueOf("");
        };
    }

    private static boolean nullable(JsonNode property) {
        for (JsonNode type : property.path("type")) {
            if ("null".equals(type.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Text of a message content: a string, or the text parts of an array. */
    public static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String t = ModelJson.str(part, "text");
            if (t != null) {
                sb.append(t);
            }
        }
        return sb.isEmpty() ? content.toString() : sb.toString();
    }
}
