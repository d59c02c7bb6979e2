package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Plausible request bodies from OpenAPI schemas: every declared property, with a known-good value
 * where the property's name is known ({@link TenantObjects#fields()}) and a value of the declared
 * type otherwise. The result need not be accepted; it is the base that one mutation spoils.
 */
public final class SchemaBodies {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 4;

    private final OpenApiRoutes document;
    private final Map<String, JsonNode> fields;

    public SchemaBodies(OpenApiRoutes document, Map<String, JsonNode> fields) {
        this.document = document;
        this.fields = fields;
    }

    /** Every declared property, recursively. */
    public JsonNode full(JsonNode schema) {
        return value(schema, null, 0, true);
    }

    /** Only the properties with known-good values: the body most likely to be accepted. */
    public JsonNode plain(JsonNode schema) {
        return value(schema, null, 0, false);
    }

    /** A JSON pointer into a body, and what kind of node it points at. */
    public record Leaf(String pointer, JsonNode node) {
    }

    /** Every node of {@code body} below the root, depth first. */
    public static List<Leaf> leaves(JsonNode body) {
        List<Leaf> found = new ArrayList<>();
        collect(body, "", found);
        return found;
    }

    /**
     * The resolved schema of the node at {@code pointer} in a body built from {@code schema}: object
     * properties by name ({@code extra} stands for additional properties), array items by index.
     */
    public JsonNode schemaAt(JsonNode schema, String pointer) {
        JsonNode current = document.resolve(schema);
        for (String step : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/")) {
            if (current == null || current.isMissingNode()) {
                break;
            }
            JsonNode next = current.path("type").asText().equals("array") ? current.path("items")
                    : current.path("properties").path(step);
            if (next.isMissingNode() && step.equals("extra")) {
                next = current.path("additionalProperties");
            }
            current = document.resolve(next);
        }
        return current == null ? NODES.missingNode() : current;
    }

    private JsonNode value(JsonNode schema, String name, int depth, boolean full) {
        JsonNode resolved = document.resolve(schema);
        boolean unknown = resolved == null || resolved.isMissingNode();
        String type = unknown ? "string" : resolved.path("type").asText(resolved.has("properties") ? "object" : "string");
        // A known name whose schema is an object where the fixture's value is not (PUT /v1/budgets' "agent" is an
        // object, a session's is a name) takes a value of its schema: the fixture's would spoil the body from the start.
        if (name != null && fields.containsKey(name) && !(type.equals("object") && !fields.get(name).isObject())) {
            return fields.get(name);
        }
        if (unknown) {
            return NODES.textNode("x");
        }
        if (resolved.has("enum")) {
            return resolved.get("enum").get(0);
        }
        return switch (type) {
            case "object" -> object(resolved, depth, full);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < MAX_DEPTH && full) {
                    array.add(value(resolved.path("items"), null, depth + 1, true));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.0);
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.textNode(resolved.path("format").asText().equals("date-time") ? "2026-01-01T00:00:00Z"
                    : "fuzz");
        };
    }

    private ObjectNode object(JsonNode schema, int depth, boolean full) {
        ObjectNode object = NODES.objectNode();
        if (depth >= MAX_DEPTH) {
            return object;
        }
        for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext();) {
            Map.Entry<String, JsonNode> property = properties.next();
            if (full || fields.containsKey(property.getKey())) {
                object.set(property.getKey(), value(property.getValue(), property.getKey(), depth + 1, full));
            }
        }
        if (full && schema.path("additionalProperties").isObject()) {
            object.set("extra", value(schema.get("additionalProperties"), null, depth + 1, true));
        }
        return object;
    }

    private static void collect(JsonNode node, String pointer, List<Leaf> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = pointer + "/" + field.getKey();
                found.add(new Leaf(child, field.getValue()));
                collect(field.getValue(), child, found);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = pointer + "/" + i;
                found.add(new Leaf(child, node.get(i)));
                collect(node.get(i), child, found);
            }
        }
    }
}
