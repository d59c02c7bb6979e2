package dev.berth.runtime.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client tool's JSON schema that writes itself from the text made once per agent version,
 * instead of walking its tree again for every model request (a schema may be tens of kilobytes
 * of small nodes, an agent may have a hundred: the request's serialisation on the event loop).
 * Reads like the schema it was made from. Never changed after it is made: it is shared by every
 * step of every run of the version.
 */
final class WrittenSchema extends ObjectNode {
    private static final long serialVersionUID = 1L;
    private final String json;

    WrittenSchema(ObjectNode schema) {
        super(JsonNodeFactory.instance, children(schema));
        this.json = schema.toString();
    }

    private static Map<String, JsonNode> children(ObjectNode schema) {
        Map<String, JsonNode> children = new LinkedHashMap<>();
        schema.properties().forEach(entry -> children.put(entry.getKey(), entry.getValue()));
        return children;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeRawValue(json);
    }

    @Override
    public String toString() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
