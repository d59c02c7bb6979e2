package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.openai.ResponsesRequest.AgentModel;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.service.HistoryService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Berth takes from a {@code POST /openai/v1/chat/completions} body (ADR 0040). The client's
 * {@code messages} are the whole conversation: the last one, a user message, is the run's input, and
 * the user and assistant messages before it are the history the session starts with. As for
 * Responses, the body is read as a JSON tree and every parameter Berth does not implement is refused
 * by name ({@code param}), never ignored. Client tools ({@code tools}, {@code tool_calls}, {@code tool}
 * messages) are refused: the agent's own tools run server-side.
 *
 * @param agent        {@code model}: the agent, {@code name} or {@code name@version}
 * @param history      the messages before the last, oldest first (user and assistant only)
 * @param input        the text of the last message, a user message
 * @param stream       {@code stream}
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with the usage
 * @param user         {@code user}: the actor of the session, or null for the credential's
 */
public record ChatCompletionsRequest(AgentModel agent, List<Message> history, String input, boolean stream,
        boolean includeUsage, String user) {

    /** A message of the history: {@code role} is {@code user} or {@code assistant}. */
    public record Message(String role, String text) {
    }

    private static final Set<String> TAKEN = Set.of("model", "messages", "stream", "stream_options", "user");
    /** Parameters accepted at the value that means "what Berth does anyway" (JSON text); any other value is refused. */
    private static final Map<String, String> DEFAULTS = Map.of("n", "1", "logprobs", "false", "store", "false",
            "modalities", "[\"text\"]", "response_format", "{\"type\":\"text\"}");
    /** Parameters that would make the client run tools: the agent's own tools run server-side instead. */
    private static final Set<String> CLIENT_TOOLS = Set.of("tools", "tool_choice", "parallel_tool_calls", "functions",
            "function_call");
    private static final String NOT_YET = "is not supported yet by Berth's OpenAI-compatible API";
    private static final String SERVER_SIDE_TOOLS =
            "is not supported: Berth runs the agent's own tools server-side, and a chat completion offers no client tools";

    public static ChatCompletionsRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.field("body", "must be a JSON object");
        }
        body.fieldNames().forEachRemaining(field -> refuseUnsupported(field, body.get(field)));
        AgentModel agent = AgentModel.of(OpenAiFields.text(body, "model"));
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ValidationException.field("messages", "is required: a non-empty list of messages");
        }
        if (messages.size() > HistoryService.MAX_ITEMS + 1) {
            throw ValidationException.field("messages", "must be at most " + (HistoryService.MAX_ITEMS + 1) + " messages");
        }
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            all.add(message(messages.get(i), "messages[" + i + "]"));
        }
        Message last = all.removeLast();
        if (!"user".equals(last.role())) {
            throw ValidationException.field("messages[" + all.size() + "].role",
                    "the last message must be the user's: it is the input of the agent's run");
        }
        boolean stream = OpenAiFields.flag(body, "stream", false);
        return new ChatCompletionsRequest(agent, List.copyOf(all), last.text(), stream,
                streamOptions(body.get("stream_options"), stream), OpenAiFields.text(body, "user"));
    }

    private static void refuseUnsupported(String field, JsonNode value) {
        if (TAKEN.contains(field) || value == null || value.isNull()) {
            return;
        }
        if (CLIENT_TOOLS.contains(field)) {
            throw ValidationException.field(field, SERVER_SIDE_TOOLS);
        }
        String accepted = DEFAULTS.get(field);
        if (accepted != null && accepted.equals(value.toString())) {
            return;
        }
        throw ValidationException.field(field, accepted == null ? NOT_YET : NOT_YET + " (only " + accepted + ")");
    }

    /**
     * A message of the conversation. {@code system}/{@code developer} messages are refused until a run can
     * take instructions of its own (the agent's instructions apply); {@code tool} messages and assistant
     * {@code tool_calls} are refused as client tools are.
     */
    private static Message message(JsonNode message, String where) {
        if (message == null || !message.isObject()) {
            throw ValidationException.field(where, "must be a message object");
        }
        String role = message.path("role").asText("");
        switch (role) {
            case "user", "assistant" -> {
            }
            case "system", "developer" -> throw ValidationException.field(where + ".role", "'" + role
                    + "' messages are not supported yet: the agent's own instructions apply");
            case "tool", "function" -> throw ValidationException.field(where + ".role", "'" + role + "' messages "
                    + SERVER_SIDE_TOOLS);
            default -> throw ValidationException.field(where + ".role", "must be user or assistant");
        }
        for (String field : List.of("tool_calls", "function_call", "audio", "name", "refusal")) {
            JsonNode value = message.get(field);
            if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
                throw ValidationException.field(where + "." + field, field.contains("call") ? SERVER_SIDE_TOOLS : NOT_YET);
            }
        }
        String text = content(message.get("content"), where + ".content");
        // Checked here, before anything is written, rather than when the history or the input is stored.
        if (text.length() > InputLimits.MAX_TEXT_CHARS) {
            throw ValidationException.field(where + ".content", "must be at most " + InputLimits.MAX_TEXT_CHARS
                    + " characters");
        }
        return new Message(role, text);
    }

    /** The text of a message: a string, or text parts (other parts are refused by name). */
    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual() && !content.asText().isBlank()) {
            return content.asText();
        }
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw ValidationException.field(where, "must be a non-empty string or a list of text parts");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ValidationException.field(where + "[" + i + "].type", "only text parts are supported yet");
            }
            parts.add(part.get("text").asText());
        }
        String text = String.join("\n", parts);
        if (text.isBlank()) {
            throw ValidationException.field(where, "must not be blank");
        }
        return text;
    }

    private static boolean streamOptions(JsonNode options, boolean stream) {
        if (options == null || options.isNull()) {
            return false;
        }
        if (!stream) {
            throw ValidationException.field("stream_options", "is only allowed with stream: true");
        }
        if (!options.isObject()) {
            throw ValidationException.field("stream_options", "must be an object");
        }
        options.fieldNames().forEachRemaining(field -> {
            if (!"include_usage".equals(field) && !options.get(field).isNull()
                    && !("include_obfuscation".equals(field) && !options.get(field).asBoolean(true))) {
                throw ValidationException.field("stream_options." + field, NOT_YET);
            }
        });
        return OpenAiFields.flag(options, "include_usage", false);
    }
}
