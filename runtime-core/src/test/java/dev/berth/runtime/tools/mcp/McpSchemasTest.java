package dev.berth.runtime.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class McpSchemasTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aClosedSchemaRequiringEveryPropertyIsStrict() throws Exception {
        assertThat(McpSchemas.strictCompatible(json("""
                {"type":"object","properties":{"a":{"type":"string"},
                 "b":{"type":"array","items":{"type":"object","properties":{"x":{"type":["integer","null"]}},
                      "required":["x"],"additionalProperties":false}}},
                 "required":["a","b"],"additionalProperties":false}"""))).isTrue();
    }

    @Test
    void optionalPropertiesMakeASchemaNonStrict() throws Exception {
        assertThat(McpSchemas.strictCompatible(json("""
                {"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
                 "required":["a"],"additionalProperties":false}"""))).isFalse();
    }

    @Test
    void openObjectsAndUnsupportedKeywordsMakeASchemaNonStrict() throws Exception {
        assertThat(McpSchemas.strictCompatible(json("""
                {"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"""))).isFalse();
        assertThat(McpSchemas.strictCompatible(json("""
                {"type":"object","properties":{"a":{"type":"string","default":"x"}},
                 "required":["a"],"additionalProperties":false}"""))).isFalse();
        assertThat(McpSchemas.strictCompatible(json("""
                {"type":"object","properties":{"m":{"type":"object"}},"required":["m"],
                 "additionalProperties":false}"""))).isFalse();
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }
}
