package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.RunOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this slice takes from a {@code POST /openai/v1/responses} body. The body is read as a JSON tree,
 * not bound to a class: OpenAI's request has dozens of optional fields, and each one this slice does
 * not implement is refused by name ({@code param}) rather than ignored, so a client never believes a
 * setting took effect when it did not (ADR 0035).
 *
 * @param agentName    {@code model}: an agent name, or {@code name@version}
 * @param agentVersion the version after {@code @}, or null for the latest
 * @param text         the user text of {@code input} (a string, or message items' text joined by blank lines),
 *                     or null when {@code input} only answers a paused response
 * @param conversation {@code conversation} as given (an id, or the id of an object), or null
 * @param previous     {@code previous_response_id}, or null
 * @param user         {@code user}: the actor of a new session, or null for the key's
 * @param options      what the response sets for its run ({@link ResponseOptions}, ADR 0036)
 * @param stream       {@code stream}: answer with server-sent events (ADR 0038)
 * @param background   {@code background}: answer at once, before the run settles
 * @param store        {@code store} (default true): false deletes the session once the response settles
 * @param answers      the {@code function_call_output} and {@code mcp_approval_response} items of {@code input}
 *                     (ADR 0037); never together with user text
 */
public record ResponsesRequest(String agentName, Integer agentVersion, String text, String conversation,
        String previous, String user, RunOptions options, boolean stream, boolean background, boolean store,
        List<ResponseInputItems.Answer> answers) {
    /** Fields this slice implements; a few more are accepted only at their default (see {@link #DEFAULTS}). */
    private static final Set<String> TAKEN = Set.of("model", "input", "conversation", "previous_response_id", "user",
            "stream", "background", "store");
    /** Fields accepted at the value that means "what Berth does anyway"; any other value is refused. */
    private static final Map<String, String> DEFAULTS = Map.of("truncation", "disabled");

    public static ResponsesRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.field("body", "must be a JSON object");
        }
        body.fieldNames().forEachRemaining(field -> refuseUnsupported(field, body.get(field)));
        AgentModel agent = AgentModel.of(OpenAiFields.text(body, "model"));
        String conversation = conversation(body.get("conversation"));
        String previous = OpenAiFields.text(body, "previous_response_id");
        if (conversation != null && previous != null) {
            throw ValidationException.field("conversation", "give either conversation or previous_response_id, not both");
        }
        boolean store = OpenAiFields.flag(body, "store", true);
        boolean background = OpenAiFields.flag(body, "background", false);
        if (background && !store) {
            // As OpenAI: a background response is read back later, so it must be kept.
            throw ValidationException.field("store", "must be true for a background response");
        }
        List<ResponseInputItems.Answer> answers = new ArrayList<>();
        String text = input(body.get("input"), answers);
        if (!answers.isEmpty() && (OpenAiFields.flag(body, "stream", false) || background)) {
            throw ValidationException.field(OpenAiFields.flag(body, "stream", false) ? "stream" : "background",
                    "is not supported yet with function_call_output or mcp_approval_response items (ADR 0037)");
        }
        return new ResponsesRequest(agent.name(), agent.version(), text, conversation, previous, OpenAiFields.text(body, "user"),
                ResponseOptions.parse(body), OpenAiFields.flag(body, "stream", false), background, store, List.copyOf(answers));
    }

    /**
     * {@code model} on this surface: a Berth agent, {@code name} or {@code name@version} (null: the latest).
     * The one reading of it, for every route that takes a model.
     */
    public record AgentModel(String name, Integer version) {
        static AgentModel of(String model) {
            return of("model", model);
        }

        /** Reads {@code name} or {@code name@version} given in {@code field}; a missing or bad one is a 400 naming it. */
        static AgentModel of(String field, String model) {
            if (model == null || model.isBlank()) {
                throw ValidationException.field(field, "is required: the name of a Berth agent");
            }
            int at = model.indexOf('@');
            if (at < 0) {
                return new AgentModel(model, null);
            }
            try {
                return new AgentModel(model.substring(0, at), Integer.valueOf(model.substring(at + 1)));
            } catch (NumberFormatException e) {
                throw ValidationException.field(field, "must be an agent name or name@version");
            }
        }
    }

    private static void refuseUnsupported(String field, JsonNode value) {
        if (TAKEN.contains(field) || ResponseOptions.FIELDS.contains(field) || value == null || value.isNull()) {
            return;
        }
        String accepted = DEFAULTS.get(field);
        if (accepted != null && accepted.equals(value.asText())) {
            return;
        }
        throw ValidationException.field(field, accepted == null
                ? "is not supported yet by Berth's OpenAI-compatible API"
                : "is not supported yet by Berth's OpenAI-compatible API (only " + accepted + ")");
    }

    private static String conversation(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject() && value.path("id").isTextual()) {
            return value.get("id").asText();
        }
        throw ValidationException.field("conversation", "must be a conversation id or an object with an id");
    }

    /**
     * The user's text: a string, or message items whose content is a string or input_text parts; the
     * answers to a paused response go to {@code answers} (ADR 0037: not mixed with messages).
     */
    private static String input(JsonNode input, List<ResponseInputItems.Answer> answers) {
        if (input == null || input.isNull()) {
            throw ValidationException.field("input", "is required");
        }
        if (input.isTextual()) {
            return input.asText();
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ValidationException.field("input", "must be a string or a non-empty list of message items");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String where = "input[" + i + "]";
            String type = item.path("type").asText("message");
            if (ResponseInputItems.TYPES.contains(type)) {
                answers.add(ResponseInputItems.answer(item, where));
                continue;
            }
            if (!"message".equals(type) || !"user".equals(item.path("role").asText())) {
                throw ValidationException.field(where, "only user message, function_call_output and mcp_approval_response items are supported yet");
            }
            texts.add(content(item.get("content"), where + ".content"));
        }
        if (!answers.isEmpty() && !texts.isEmpty()) {
            throw ValidationException.field("input", "answers a paused response (function_call_output, "
                    + "mcp_approval_response) and carries user messages: send the messages in the next request");
        }
        return texts.isEmpty() ? null : String.join("\n\n", texts);
    }

    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw ValidationException.field(where, "must be a string or a list of input_text parts");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!"input_text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ValidationException.field(where + "[" + i + "]", "only input_text parts are supported yet");
            }
            parts.add(part.get("text").asText());
        }
        return String.join("\n", parts);
    }
}
