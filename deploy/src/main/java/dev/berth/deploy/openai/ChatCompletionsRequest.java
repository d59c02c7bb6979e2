package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.openai.ResponsesRequest.AgentModel;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.run.RunOptions;
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
 * @param options      the run's options: the {@code system}/{@code developer} messages as instructions added
 *                     to the agent's (ADR 0036), {@code temperature}, {@code max_completion_tokens}
 */
public record ChatCompletionsRequest(AgentModel agent, List<Message> history, String input, boolean stream,
        boolean includeUsage, String user, RunOptions options) {

    /** A message: {@code role} is {@code user} or {@code assistant} in the history ({@code system} and
     * {@code developer} ones become the run's instructions). */
    public record Message(String role, String text) {
        boolean instructs() {
            return "system".equals(role) || "developer".equals(role);
        }
    }

    private static final Set<String> TAKEN = Set.of("model", "messages", "stream", "stream_options", "user",
            "temperature", "max_completion_tokens", "max_tokens");
    /** The engine's option names as this API calls them, for the checks {@link RunOptions#validated} makes. */
    private static final Map<String, String> NAMES = Map.of("instructions", "messages",
            "maxOutputTokens", "max_completion_tokens");
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
        // System and developer messages, wherever they stand, are the run's instructions, in their order.
        List<String> instructions = all.stream().filter(Message::instructs).map(Message::text).toList();
        all.removeIf(Message::instructs);
        if (all.isEmpty()) {
            throw ValidationException.field("messages", "must end with a user message: the input of the agent's run");
        }
        Message last = all.removeLast();
        if (!"user".equals(last.role())) {
            throw ValidationException.field("messages[" + all.size() + "].role",
                    "the last message must be the user's: it is the input of the agent's run");
        }
        boolean stream = OpenAiFields.flag(body, "stream", false);
        RunOptions options = new RunOptions(instructions.isEmpty() ? null : String.join("\n\n", instructions),
                List.of(), null, null, maxTokens(body), temperature(body), null, Map.of()).validated(NAMES);
        return new ChatCompletionsRequest(agent, List.copyOf(all), last.text(), stream,
                streamOptions(body.get("stream_options"), stream), OpenAiFields.text(body, "user"), options);
    }

    /** {@code max_completion_tokens}, or the older {@code max_tokens} it replaces (not both). */
    private static Integer maxTokens(JsonNode body) {
        JsonNode current = body.get("max_completion_tokens");
        JsonNode older = body.get("max_tokens");
        boolean hasCurrent = current != null && !current.isNull();
        if (hasCurrent && older != null && !older.isNull()) {
            throw ValidationException.field("max_tokens", "give max_completion_tokens or max_tokens, not both");
        }
        JsonNode value = hasCurrent ? current : older;
        if (value == null || value.isNull()) {
            return null;
        }
        String field = hasCurrent ? "max_completion_tokens" : "max_tokens";
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ValidationException.field(field, "must be an integer");
        }
        return value.asInt();
    }

    private static Double temperature(JsonNode body) {
        JsonNode value = body.get("temperature");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ValidationException.field("temperature", "must be a number");
        }
        return value.asDouble();
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
     * A message of the conversation. {@code system}/{@code developer} messages are added to the agent's
     * instructions for this run; {@code tool} messages and assistant {@code tool_calls} are refused as
     * client tools are.
     */
    private static Message message(JsonNode message, String where) {
        if (message == null || !message.isObject()) {
            throw ValidationException.field(where, "must be a message object");
        }
        String role = message.path("role").asText("");
        switch (role) {
            case "user", "assistant", "system", "developer" -> {
            }
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
