package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.berth.tool.InvalidArgumentsException;
import dev.berth.tool.ToolContext;
import dev.berth.tool.internal.ValueType.ObjectType;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns the model's JSON arguments into the Java values of a tool method's parameters.
 * Validates first ({@link ArgumentReader}) so that a wrong call never reaches the tool,
 * then binds each parameter with Jackson. Thread safe (immutable; per-call state lives in
 * a fresh reader).
 */
final class ArgumentBinder {

    /** One method parameter: the context, or a value bound from the property. */
    record Slot(ValueType.Property property, ObjectReader reader) {

        static Slot context() {
            return new Slot(null, null);
        }

        boolean isContext() {
            return property == null;
        }
    }

    private final String toolName;
    private final ObjectType arguments;
    private final List<Slot> slots;

    ArgumentBinder(String toolName, ObjectType arguments, List<Slot> slots) {
        this.toolName = toolName;
        this.arguments = arguments;
        this.slots = List.copyOf(slots);
    }

    Object[] bind(JsonNode json, ToolContext context) {
        JsonNode given = arguments(json);
        ArgumentReader reader = new ArgumentReader();
        JsonNode normalized = reader.read(arguments, given, "");
        if (!reader.problems().isEmpty()) {
            throw invalid(reader.problems());
        }
        Object[] values = new Object[slots.size()];
        for (int i = 0; i < values.length; i++) {
            Slot slot = slots.get(i);
            values[i] = slot.isContext() ? context : bindOne(slot, normalized.get(slot.property().javaName()));
        }
        return values;
    }

    /**
     * Models send "{}" or nothing at all for tools without parameters. OpenAI's function
     * call carries the arguments as a JSON text; passing that field on unparsed is an easy
     * mistake with only one meaning, so a text node is parsed.
     */
    private JsonNode arguments(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return ToolJson.NODES.objectNode();
        }
        return json.isTextual() ? ToolArguments.parse(toolName, json.asText()) : json;
    }

    private Object bindOne(Slot slot, JsonNode value) {
        try {
            return slot.reader().readValue(value);
        } catch (IOException e) {
            throw invalid(List.of("'" + slot.property().wireName() + path(e) + "' " + reason(e)));
        }
    }

    /**
     * The validator accepted the value, so a failure here comes from the tool's own types,
     * typically a record constructor rejecting a value with an IllegalArgumentException: its
     * message is meant for callers and helps the model more than anything we could say.
     * Other exceptions are bugs whose messages are not written for the model.
     */
    private static String reason(IOException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException rejected
                && rejected.getMessage() != null) {
            return "was rejected: " + rejected.getMessage();
        }
        return "could not be read; check its type and format";
    }

    private static String path(IOException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }

    private InvalidArgumentsException invalid(List<String> problems) {
        return new InvalidArgumentsException("Invalid arguments for tool '" + toolName + "': "
                + String.join("; ", problems) + ". Correct the arguments and call the tool again.");
    }
}
