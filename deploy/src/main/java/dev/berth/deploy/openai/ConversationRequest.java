package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.service.HistoryService.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Conversations API takes from a body, read as a JSON tree like {@link ResponsesRequest}: an
 * unknown field is refused by name, never ignored (ADR 0035, 0039).
 *
 * @param metadata OpenAI's metadata (at most 16 string pairs), or null when the body has none
 * @param items    the items to add, in order (empty when none)
 */
public record ConversationRequest(Map<String, Object> metadata, List<Item> items) {
    /** OpenAI's limits on metadata. */
    static final int MAX_PAIRS = 16;
    static final int MAX_KEY_CHARS = 64;
    static final int MAX_VALUE_CHARS = 512;
    /** OpenAI takes up to 20 items per request. */
    static final int MAX_ITEMS = 20;

    /** {@code POST /conversations}: {@code metadata} and {@code items}, both optional. */
    public static ConversationRequest create(JsonNode body) {
        object(body, Set.of("metadata", "items"));
        JsonNode items = body.get("items");
        return new ConversationRequest(metadata(body.get("metadata")),
                items == null || items.isNull() ? List.of() : items(items));
    }

    /** {@code POST /conversations/{id}}: {@code metadata}, required. */
    public static ConversationRequest update(JsonNode body) {
        object(body, Set.of("metadata"));
        Map<String, Object> metadata = metadata(body.get("metadata"));
        if (metadata == null) {
            throw ValidationException.field("metadata", "is required");
        }
        return new ConversationRequest(metadata, List.of());
    }

    /** {@code POST /conversations/{id}/items}: {@code items}, required, at least one. */
    public static ConversationRequest addItems(JsonNode body) {
        object(body, Set.of("items"));
        JsonNode items = body.get("items");
        if (items == null || items.isNull() || items.isEmpty()) {
            throw ValidationException.field("items", "is required: a non-empty list of items");
        }
        return new ConversationRequest(null, items(items));
    }

    private static void object(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw ValidationException.field("body", "must be a JSON object");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                throw ValidationException.field(field, "is not supported by Berth's Conversations API");
            }
        });
    }

    private static Map<String, Object> metadata(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || value.size() > MAX_PAIRS) {
            throw ValidationException.field("metadata", "must be an object of at most " + MAX_PAIRS + " string values");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        value.fields().forEachRemaining(pair -> {
            if (pair.getKey().length() > MAX_KEY_CHARS || !pair.getValue().isTextual()
                    || pair.getValue().asText().length() > MAX_VALUE_CHARS) {
                throw ValidationException.field("metadata", "keys must be at most " + MAX_KEY_CHARS
                        + " characters and values strings of at most " + MAX_VALUE_CHARS);
            }
            metadata.put(pair.getKey(), pair.getValue().asText());
        });
        return metadata;
    }

    /** Messages (user or assistant), function calls and function call outputs, as OpenAI's input items. */
    private static List<Item> items(JsonNode items) {
        if (!items.isArray() || items.size() > MAX_ITEMS) {
            throw ValidationException.field("items", "must be a list of at most " + MAX_ITEMS + " items");
        }
        List<Item> parsed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parsed.add(item(items.get(i), "items[" + i + "]"));
        }
        return parsed;
    }

    private static Item item(JsonNode item, String where) {
        if (!item.isObject()) {
            throw ValidationException.field(where, "must be an object");
        }
        String type = item.path("type").asText("message");
        return switch (type) {
            case "message" -> switch (item.path("role").asText()) {
                case "user" -> new Item.UserMessage(content(item.get("content"), where + ".content", "input_text"));
                case "assistant" -> new Item.AssistantMessage(content(item.get("content"), where + ".content", "output_text"));
                default -> throw ValidationException.field(where + ".role", "must be user or assistant");
            };
            case "function_call" -> new Item.FunctionCall(string(item, "call_id", where), string(item, "name", where),
                    string(item, "arguments", where));
            case "function_call_output" -> new Item.FunctionCallOutput(string(item, "call_id", where),
                    string(item, "output", where));
            default -> throw ValidationException.field(where + ".type",
                    "only message, function_call and function_call_output items are supported");
        };
    }

    /** A string, or text parts ({@code input_text}, {@code output_text} for an assistant's) joined by newlines. */
    private static String content(JsonNode content, String where, String partType) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw ValidationException.field(where, "must be a string or a list of " + partType + " parts");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!partType.equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ValidationException.field(where + "[" + i + "]", "only " + partType + " parts are supported");
            }
            parts.add(part.get("text").asText());
        }
        return String.join("\n", parts);
    }

    private static String string(JsonNode item, String field, String where) {
        JsonNode value = item.get(field);
        if (value == null || !value.isTextual()) {
            throw ValidationException.field(where + "." + field, "must be a string");
        }
        return value.asText();
    }
}
