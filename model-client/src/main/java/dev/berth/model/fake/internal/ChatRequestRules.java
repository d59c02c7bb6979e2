package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks OpenAI and Azure OpenAI make on a chat-completions request before any inference, so that a
 * request the real services refuse is refused by the fake too. Each rule returns the first violation
 * in the provider's words; the messages follow the services' documented 400 answers.
 *
 * <p>Rules: valid roles; content present where the role needs it and made of the part types that role
 * accepts; every assistant {@code tool_calls} message followed, before any other message, by exactly one
 * {@code tool} message per call id; no {@code tool} message without its call; each tool a function with
 * a valid name whose {@code parameters}, when given, is an object schema.
 */
public final class ChatRequestRules {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    /** Content part types per role (openai-openapi.yaml, ChatCompletionRequest*MessageContentPart). */
    private static final Map<String, Set<String>> PARTS = Map.of(
            "system", Set.of("text"), "developer", Set.of("text"), "tool", Set.of("text"),
            "assistant", Set.of("text", "refusal"), "user", Set.of("text", "image_url", "input_audio", "file"));
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ChatRequestRules() {
    }

    /** The first rule the request breaks, or null when a real endpoint would accept it. */
    public static Violation check(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (messages.isEmpty()) {
            return new Violation("[] is too short - 'messages'", "messages", null);
        }
        Violation v = null;
        for (int i = 0; i < messages.size() && v == null; i++) {
            v = message(messages.get(i), i);
        }
        if (v == null) {
            v = toolExchanges(messages);
        }
        return v != null ? v : tools(body.path("tools"));
    }

    private static Violation message(JsonNode m, int i) {
        String role = m.path("role").asText(null);
        if (role == null || !ROLES.contains(role)) {
            return new Violation("Invalid value: '" + role + "'. Supported values are: 'system', 'assistant', 'user',"
                    + " 'function', 'tool', and 'developer'.", "messages[" + i + "].role", "invalid_value");
        }
        JsonNode content = m.path("content");
        boolean optional = role.equals("assistant") && (m.path("tool_calls").size() > 0 || m.has("function_call"));
        if (content.isMissingNode() || content.isNull()) {
            return optional || role.equals("assistant") && m.has("refusal") ? null
                    : new Violation("Missing required parameter: 'messages[" + i + "].content'.",
                            "messages[" + i + "].content", "missing_required_parameter");
        }
        if (content.isArray()) {
            return parts(content, PARTS.getOrDefault(role, Set.of("text")), i);
        }
        return content.isTextual() ? null : new Violation("Invalid type for 'messages[" + i + "].content': expected one"
                + " of a string or array of objects, but got " + content.getNodeType().name().toLowerCase() + " instead.",
                "messages[" + i + "].content", "invalid_type");
    }

    private static Violation parts(JsonNode content, Set<String> allowed, int i) {
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            String param = "messages[" + i + "].content[" + p + "]";
            String type = part.path("type").asText(null);
            if (type == null || !allowed.contains(type)) {
                return new Violation("Invalid value: '" + type + "'. Supported values are: "
                        + String.join(", ", allowed.stream().sorted().map(t -> "'" + t + "'").toList()) + ".",
                        param + ".type", "invalid_value");
            }
            if (type.equals("text") && !part.path("text").isTextual()) {
                return new Violation("Missing required parameter: '" + param + ".text'.", param + ".text",
                        "missing_required_parameter");
            }
        }
        return null;
    }

    /** Each assistant's calls answered by the tool messages right after it; no answer without a call. */
    private static Violation toolExchanges(JsonNode messages) {
        Set<String> open = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if (role.equals("tool")) {
                String id = m.path("tool_call_id").asText(null);
                if (id == null || !open.remove(id)) {
                    return new Violation("Invalid parameter: messages with role 'tool' must be a response to a"
                            + " preceeding message with 'tool_calls'.", "messages.[" + i + "].role", null);
                }
                continue;
            }
            if (!open.isEmpty()) {
                return unanswered(open, i);
            }
            if (role.equals("assistant")) {
                for (JsonNode call : m.path("tool_calls")) {
                    open.add(call.path("id").asText());
                }
            }
        }
        return open.isEmpty() ? null : unanswered(open, messages.size());
    }

    private static Violation unanswered(Set<String> open, int at) {
        return new Violation("An assistant message with 'tool_calls' must be followed by tool messages responding to"
                + " each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                + String.join(", ", open), "messages.[" + at + "].role", null);
    }

    private static Violation tools(JsonNode tools) {
        for (int t = 0; t < tools.size(); t++) {
            JsonNode tool = tools.get(t);
            String param = "tools[" + t + "]";
            if (!"function".equals(tool.path("type").asText())) {
                return new Violation("Invalid value: '" + tool.path("type").asText() + "'. Supported values are:"
                        + " 'function' and 'custom'.", param + ".type", "invalid_value");
            }
            JsonNode fn = tool.path("function");
            String name = fn.path("name").asText("");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                return new Violation("Invalid '" + param + ".function.name': string does not match pattern."
                        + " Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                        param + ".function.name", "invalid_value");
            }
            Violation schema = parameters(fn.path("parameters"), name, param + ".function.parameters");
            if (schema != null) {
                return schema;
            }
        }
        return null;
    }

    /**
     * Absent or {@code {}} (no parameters) passes; anything else must be an object schema. A non-object value is
     * refused by the JSON-schema check, an object of another (or no) type by the function-schema check.
     */
    private static Violation parameters(JsonNode schema, String name, String param) {
        if (schema.isMissingNode() || schema.isObject() && schema.isEmpty()) {
            return null;
        }
        if (!schema.isObject()) {
            return new Violation("Invalid schema for function '" + name + "': " + schema + " is not of type 'object',"
                    + " 'boolean'.", param, "invalid_function_parameters");
        }
        String type = schema.path("type").asText("None");
        return type.equals("object") ? null : new Violation("Invalid schema for function '" + name + "': schema must"
                + " be a JSON Schema of 'type: \"object\"', got 'type: \"" + type + "\"'.", param,
                "invalid_function_parameters");
    }
}
