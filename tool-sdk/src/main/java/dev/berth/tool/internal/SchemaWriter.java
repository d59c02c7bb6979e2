package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.tool.internal.ValueType.ArrayType;
import dev.berth.tool.internal.ValueType.EnumType;
import dev.berth.tool.internal.ValueType.MapType;
import dev.berth.tool.internal.ValueType.NullableType;
import dev.berth.tool.internal.ValueType.ObjectType;
import dev.berth.tool.internal.ValueType.Property;
import dev.berth.tool.internal.ValueType.ScalarType;

/**
 * Writes the JSON schema of a {@link ValueType} in the subset that OpenAI's strict function
 * calling accepts: every object lists all its properties in {@code required} and sets
 * {@code additionalProperties: false}; optional values stay required but admit
 * {@code null} ({@code "type": ["string", "null"]}).
 *
 * <p>Maps: strict mode forbids free-form objects ({@code additionalProperties} must be
 * false), so a {@code Map<K,V>} is sent as an array of {@code {"key": K, "value": V}}
 * objects. The alternative, marking such tools non-strict, would silently lose the
 * guarantee that the model's arguments fit the schema for the whole tool; the entry array
 * keeps every tool strict at the price of a slightly more verbose shape, which models
 * handle well. {@link ArgumentReader} turns the entries back into an object for Jackson.
 *
 * <p>Stateless and thread safe.
 */
public final class SchemaWriter {

    private SchemaWriter() {
    }

    /** The schema of a value; {@code description} (may be empty) is added when not blank. */
    public static ObjectNode write(ValueType type, String description) {
        ObjectNode schema = switch (type) {
            case ScalarType s -> scalar(s.scalar());
            case EnumType e -> enumeration(e);
            case ObjectType o -> object(o);
            case ArrayType a -> array(write(a.items(), ""));
            case MapType m -> array(object(m.entry()));
            case NullableType n -> nullable(write(n.inner(), ""));
        };
        if (description != null && !description.isBlank()) {
            schema.put("description", description);
        }
        return schema;
    }

    private static ObjectNode scalar(Scalar scalar) {
        ObjectNode schema = ToolJson.NODES.objectNode().put("type", scalar.jsonType());
        if (scalar.format() != null) {
            schema.put("format", scalar.format());
        }
        return schema;
    }

    private static ObjectNode enumeration(EnumType type) {
        ObjectNode schema = ToolJson.NODES.objectNode().put("type", "string");
        ArrayNode values = schema.putArray("enum");
        type.values().forEach(values::add);
        return schema;
    }

    /** Also used for the arguments object of a tool itself. */
    public static ObjectNode object(ObjectType type) {
        ObjectNode schema = ToolJson.NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (Property property : type.properties()) {
            properties.set(property.wireName(), write(property.type(), property.description()));
            required.add(property.wireName());
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode schema = ToolJson.NODES.objectNode().put("type", "array");
        schema.set("items", items);
        return schema;
    }

    /**
     * Widens the type to admit null. An enum must list null among its values too, or a
     * validator following the schema would still reject null.
     */
    private static ObjectNode nullable(ObjectNode schema) {
        String type = schema.get("type").asText();
        schema.putArray("type").add(type).add("null");
        if (schema.get("enum") instanceof ArrayNode values) {
            values.addNull();
        }
        return schema;
    }
}
