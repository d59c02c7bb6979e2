package dev.berth.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The component schemas of the OpenAI OpenAPI document (a test resource of this module,
 * {@code specs/openai-openapi.yaml}) as JSON Schema 2020-12
 * validators. The document still writes {@code nullable: true} (OpenAPI 3.0 style), which
 * JSON Schema ignores, so it is rewritten to {@code null} in the type first.
 */
final class OpenApiSchemas {
    private static final String SPEC = "/specs/openai-openapi.yaml";
    private static volatile OpenApiSchemas instance;
    private final ObjectNode components;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

    private OpenApiSchemas(ObjectNode components) {
        this.components = components;
    }

    static OpenApiSchemas load() {
        if (instance == null) {
            synchronized (OpenApiSchemas.class) {
                if (instance == null) {
                    try {
                        JsonNode doc;
                        try (InputStream spec = specResource()) {
                            doc = new ObjectMapper(new YAMLFactory()).readTree(spec);
                        }
                        ObjectNode components = (ObjectNode) doc.get("components");
                        rewriteNullable(components);
                        instance = new OpenApiSchemas(components);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    /** The document on the test class path: the module's own copy, so a clone of the repository alone suffices. */
    static InputStream specResource() {
        InputStream spec = OpenApiSchemas.class.getResourceAsStream(SPEC);
        if (spec == null) {
            throw new IllegalStateException(SPEC + " is not on the test class path");
        }
        return spec;
    }

    /** Validation errors of {@code instance} against {@code #/components/schemas/<name>}; empty when valid. */
    List<String> validate(String name, JsonNode instance) {
        JsonSchema schema = cache.computeIfAbsent(name, n -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#/components/schemas/" + n);
            root.set("components", components);
            return factory.getSchema(root);
        });
        return schema.validate(instance).stream().map(ValidationMessage::getMessage).toList();
    }

    private static void rewriteNullable(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.path("nullable").asBoolean(false)) {
                o.remove("nullable");
                JsonNode type = o.get("type");
                if (type != null && type.isTextual()) {
                    ArrayNode types = o.putArray("type");
                    types.add(type.asText()).add("null");
                } else if (type == null) {
                    // e.g. {$ref, nullable}: allow null beside whatever the rest says
                    ObjectNode copy = o.deepCopy();
                    o.removeAll();
                    o.putArray("anyOf").add(copy).addObject().put("type", "null");
                }
                JsonNode en = o.get("enum");
                if (en instanceof ArrayNode arr) {
                    arr.addNull();
                }
            }
            o.fields().forEachRemaining(e -> rewriteNullable(e.getValue()));
        } else if (node instanceof ArrayNode a) {
            a.forEach(OpenApiSchemas::rewriteNullable);
        }
    }
}
