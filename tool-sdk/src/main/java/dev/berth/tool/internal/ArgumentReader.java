package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.tool.internal.ValueType.ArrayType;
import dev.berth.tool.internal.ValueType.EnumType;
import dev.berth.tool.internal.ValueType.MapType;
import dev.berth.tool.internal.ValueType.NullableType;
import dev.berth.tool.internal.ValueType.ObjectType;
import dev.berth.tool.internal.ValueType.Property;
import dev.berth.tool.internal.ValueType.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks the model's arguments against a {@link ValueType} and rewrites them into the
 * shape Jackson binds: properties renamed to Java names, map entry arrays turned into
 * objects, absent optional values made explicit nulls.
 *
 * <p>All problems are collected (up to a limit) rather than only the first, so the model
 * can fix its call in one retry. Tolerances, each unambiguous: an omitted optional
 * property reads as null (non-strict callers such as MCP clients omit them); a map may
 * also be sent as a plain JSON object; an integer may be written as {@code 3.0}.
 * Not thread safe; one instance per call.
 */
final class ArgumentReader {

    private static final int MAX_PROBLEMS = 10;

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    /**
     * The normalized value, or null when a problem was recorded for it.
     *
     * @param given the value, or null when the property is absent
     */
    JsonNode read(ValueType type, JsonNode given, String path) {
        JsonNode value = given == null ? MissingNode.getInstance() : given;
        return switch (type) {
            case NullableType n -> value.isNull() || value.isMissingNode() ? ToolJson.NODES.nullNode() : read(n.inner(), value, path);
            case ScalarType s -> scalar(s, value, path);
            case EnumType e -> enumeration(e, value, path);
            case ObjectType o -> object(o, value, path);
            case ArrayType a -> array(a, value, path);
            case MapType m -> map(m, value, path);
        };
    }

    private JsonNode object(ObjectType type, JsonNode value, String path) {
        if (!(value instanceof ObjectNode object)) {
            return problem(path, "an object with " + names(type), value);
        }
        ObjectNode result = ToolJson.NODES.objectNode();
        for (Property property : type.properties()) {
            String at = join(path, property.wireName());
            JsonNode given = object.get(property.wireName());
            if (given == null && !(property.type() instanceof NullableType)) {
                report(at, "is missing; expected " + expected(property.type()));
                continue;
            }
            result.set(property.javaName(), read(property.type(), given, at));
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (type.properties().stream().noneMatch(p -> p.wireName().equals(field.getKey()))) {
                report(join(path, field.getKey()), "is not allowed here; expected only " + names(type));
            }
        }
        return result;
    }

    private JsonNode array(ArrayType type, JsonNode value, String path) {
        if (!value.isArray()) {
            return problem(path, "an array of " + expected(type.items()), value);
        }
        ArrayNode result = ToolJson.NODES.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            result.add(read(type.items(), value.get(i), path + "[" + i + "]"));
        }
        return result;
    }

    private JsonNode map(MapType type, JsonNode value, String path) {
        if (value instanceof ObjectNode object) {
            ObjectNode result = ToolJson.NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (read(type.key(), ToolJson.NODES.textNode(e.getKey()), join(path, e.getKey())) != null) {
                    result.set(e.getKey(), read(type.value(), e.getValue(), join(path, e.getKey())));
                }
            }
            return result;
        }
        if (!value.isArray()) {
            return problem(path, expected(type), value);
        }
        ObjectNode result = ToolJson.NODES.objectNode();
        ObjectType entry = type.entry();
        for (int i = 0; i < value.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode read = read(entry, value.get(i), at);
            if (read instanceof ObjectNode pair && pair.get("key") != null && pair.get("key").isTextual()) {
                if (result.has(pair.get("key").asText())) {
                    report(join(at, "key"), "repeats the key \"" + pair.get("key").asText() + "\"; each key may appear once");
                }
                result.set(pair.get("key").asText(), pair.get("value"));
            }
        }
        return result;
    }

    private JsonNode enumeration(EnumType type, JsonNode value, String path) {
        if (!value.isTextual() || !type.values().contains(value.asText())) {
            return problem(path, expected(type), value);
        }
        return value;
    }

    private JsonNode scalar(ScalarType type, JsonNode value, String path) {
        JsonNode read = Scalars.read(type, value);
        return read != null ? read : problem(path, type.scalar().expected(), value);
    }

    /** A phrase for what a value of the type looks like, for messages. */
    static String expected(ValueType type) {
        return switch (type) {
            case ScalarType s -> s.scalar().expected();
            case EnumType e -> "one of " + e.values().stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
            case ObjectType o -> "an object with " + names(o);
            case ArrayType a -> "an array of " + expected(a.items());
            case MapType m -> "an array of {\"key\": ..., \"value\": ...} objects";
            case NullableType n -> expected(n.inner()) + ", or null";
        };
    }

    private static String names(ObjectType type) {
        if (type.properties().isEmpty()) {
            return "no properties";
        }
        return "the properties " + type.properties().stream().map(p -> "'" + p.wireName() + "'")
                .collect(Collectors.joining(", "));
    }

    private JsonNode problem(String path, String expected, JsonNode got) {
        report(path, "expected " + expected + ", got " + describe(got));
        return null;
    }

    private void report(String path, String what) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(path.isEmpty() ? "the arguments " + what : "'" + path + "' " + what);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The value as the model sent it, shortened: enough to recognize its mistake. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        String text = value.toString();
        String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return switch (value.getNodeType()) {
            case NULL -> "null";
            case STRING -> "the string " + shown;
            case NUMBER -> "the number " + shown;
            case BOOLEAN -> shown;
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> shown;
        };
    }
}
