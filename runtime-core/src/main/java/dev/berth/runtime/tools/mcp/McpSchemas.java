package dev.berth.runtime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns an MCP tool's {@code inputSchema} into the parameters schema offered to the model,
 * and decides whether it can be sent with {@code "strict": true}: only when every object is
 * closed and requires all its properties, and only keywords strict mode accepts are used.
 * Anything else is offered non-strict, as the server wrote it.
 */
final class McpSchemas {
    private static final Set<String> STRICT_KEYWORDS = Set.of("type", "properties", "required",
            "additionalProperties", "items", "enum", "description", "title", "anyOf", "$defs", "$ref",
            "const", "$schema");

    private McpSchemas() {
    }

    static ObjectNode parameters(McpSchema.Tool tool, ObjectMapper mapper) {
        JsonNode schema = tool.inputSchema() == null ? null : mapper.valueToTree(tool.inputSchema());
        ObjectNode result = schema instanceof ObjectNode object ? object : mapper.createObjectNode();
        result.remove("$schema");
        if (!result.has("type")) {
            result.put("type", "object");
        }
        if (!result.has("properties")) {
            result.putObject("properties");
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(ObjectNode schema, ObjectMapper mapper) {
        return mapper.convertValue(schema, Map.class);
    }

    static boolean strictCompatible(JsonNode schema) {
        if (!schema.isObject()) {
            return false;
        }
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            if (!STRICT_KEYWORDS.contains(keywords.next())) {
                return false;
            }
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            if (!properties.isObject() || !closedWithAllRequired(schema, properties)) {
                return false;
            }
            for (JsonNode property : properties) {
                if (!strictCompatible(property)) {
                    return false;
                }
            }
        } else if (isObjectType(schema) && schema.path("additionalProperties").asBoolean(true)) {
            return false;
        }
        return children(schema, "items") && children(schema, "anyOf") && children(schema, "$defs");
    }

    private static boolean closedWithAllRequired(JsonNode schema, JsonNode properties) {
        if (schema.path("additionalProperties").asBoolean(true)) {
            return false;
        }
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        Iterator<String> names = properties.fieldNames();
        while (names.hasNext()) {
            if (!required.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isObjectType(JsonNode schema) {
        return "object".equals(schema.path("type").asText());
    }

    private static boolean children(JsonNode schema, String keyword) {
        JsonNode child = schema.get(keyword);
        if (child == null) {
            return true;
        }
        if (child.isArray() || (child.isObject() && "$defs".equals(keyword))) {
            for (JsonNode each : child) {
                if (!strictCompatible(each)) {
                    return false;
                }
            }
            return true;
        }
        return strictCompatible(child);
    }
}
