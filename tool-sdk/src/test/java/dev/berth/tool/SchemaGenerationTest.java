package dev.berth.tool;

import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The exact schema the model sees for each supported Java type. */
class SchemaGenerationTest {

    public enum Unit { CELSIUS, FAHRENHEIT }

    public record Address(@ToolParam(description = "street and number") String street, String city) {
    }

    public record Customer(@ToolParam(name = "full_name") String name, Address address, List<Address> previous) {
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target({java.lang.annotation.ElementType.PARAMETER, java.lang.annotation.ElementType.TYPE_USE})
    public @interface Nullable {
    }

    public static class Catalog {
        @Tool(description = "numbers")
        public void numbers(int i, Integer boxed, long l, short s, byte b, BigInteger big, double d, Float f,
                            BigDecimal money) {
        }

        @Tool(description = "text")
        public void text(String s, char c, boolean flag, Boolean boxedFlag, UUID id, URI link) {
        }

        @Tool(description = "times")
        public void times(Instant at, OffsetDateTime offset, ZonedDateTime zoned, LocalDateTime local,
                          LocalDate day, LocalTime time, Duration timeout) {
        }

        @Tool(description = "an enum")
        public void enumeration(@ToolParam(description = "temperature unit") Unit unit) {
        }

        @Tool(description = "collections")
        public void collections(List<String> tags, Set<Integer> ids, long[] numbers, List<List<Unit>> grid) {
        }

        @Tool(description = "a map")
        public void map(Map<String, Integer> counts) {
        }

        @Tool(description = "optionals")
        public void optionals(Optional<String> note, Optional<Unit> unit, OptionalInt limit, @Nullable String comment,
                              Optional<Address> address, Optional<List<String>> tags) {
        }

        @Tool(description = "records")
        public void records(Customer customer) {
        }

        @Tool(description = "  Looks up the weather.  ")
        public String described(@ToolParam(description = "city name") String city, ToolContext context) {
            return city;
        }

        @Tool(description = "no parameters")
        public String none() {
            return "";
        }

        @Tool(description = "Deletes everything", requiresApproval = true)
        public void dangerous() {
        }
    }

    private final Catalog catalog = new Catalog();

    @Test
    void numbersAreIntegersOrNumbers() {
        // When
        var schema = tool(catalog, "numbers").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "i":{"type":"integer"},"boxed":{"type":"integer"},"l":{"type":"integer"},"s":{"type":"integer"},\
                "b":{"type":"integer"},"big":{"type":"integer"},"d":{"type":"number"},"f":{"type":"number"},\
                "money":{"type":"number"}""", "\"i\",\"boxed\",\"l\",\"s\",\"b\",\"big\",\"d\",\"f\",\"money\""));
    }

    @Test
    void textTypesAreStringsAndBooleans() {
        // When
        var schema = tool(catalog, "text").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "s":{"type":"string"},"c":{"type":"string"},"flag":{"type":"boolean"},\
                "boxedFlag":{"type":"boolean"},"id":{"type":"string","format":"uuid"},"link":{"type":"string"}""",
                "\"s\",\"c\",\"flag\",\"boxedFlag\",\"id\",\"link\""));
    }

    @Test
    void javaTimeTypesAreStringsWithFormats() {
        // When
        var schema = tool(catalog, "times").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "at":{"type":"string","format":"date-time"},"offset":{"type":"string","format":"date-time"},\
                "zoned":{"type":"string","format":"date-time"},"local":{"type":"string"},\
                "day":{"type":"string","format":"date"},"time":{"type":"string"},\
                "timeout":{"type":"string","format":"duration"}""",
                "\"at\",\"offset\",\"zoned\",\"local\",\"day\",\"time\",\"timeout\""));
    }

    @Test
    void enumsListTheirConstants() {
        // When
        var schema = tool(catalog, "enumeration").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "unit":{"type":"string","enum":["CELSIUS","FAHRENHEIT"],"description":"temperature unit"}""",
                "\"unit\""));
    }

    @Test
    void listsSetsAndArraysAreArrays() {
        // When
        var schema = tool(catalog, "collections").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "tags":{"type":"array","items":{"type":"string"}},"ids":{"type":"array","items":{"type":"integer"}},\
                "numbers":{"type":"array","items":{"type":"integer"}},"grid":{"type":"array","items":{"type":"array",\
                "items":{"type":"string","enum":["CELSIUS","FAHRENHEIT"]}}}""",
                "\"tags\",\"ids\",\"numbers\",\"grid\""));
    }

    @Test
    void mapsAreArraysOfKeyValueEntries() {
        // When
        var schema = tool(catalog, "map").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "counts":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string"},\
                "value":{"type":"integer"}},"required":["key","value"],"additionalProperties":false}}""",
                "\"counts\""));
    }

    @Test
    void optionalValuesAreRequiredButNullable() {
        // When
        var schema = tool(catalog, "optionals").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(object("""
                "note":{"type":["string","null"]},\
                "unit":{"type":["string","null"],"enum":["CELSIUS","FAHRENHEIT",null]},\
                "limit":{"type":["integer","null"]},"comment":{"type":["string","null"]},\
                "address":{"type":["object","null"],"properties":{"street":{"type":"string",\
                "description":"street and number"},"city":{"type":"string"}},"required":["street","city"],\
                "additionalProperties":false},"tags":{"type":["array","null"],"items":{"type":"string"}}""",
                "\"note\",\"unit\",\"limit\",\"comment\",\"address\",\"tags\""));
    }

    @Test
    void recordsAreClosedObjectsRecursively() {
        // When
        var schema = tool(catalog, "records").parametersSchema();

        // Then
        String address = """
                {"type":"object","properties":{"street":{"type":"string","description":"street and number"},\
                "city":{"type":"string"}},"required":["street","city"],"additionalProperties":false}""";
        assertThat(schema.toString()).isEqualTo(object("\"customer\":{\"type\":\"object\",\"properties\":{"
                + "\"full_name\":{\"type\":\"string\"},\"address\":" + address + ",\"previous\":{\"type\":\"array\","
                + "\"items\":" + address + "}},\"required\":[\"full_name\",\"address\",\"previous\"],"
                + "\"additionalProperties\":false}", "\"customer\""));
    }

    @Test
    void descriptionsComeFromTheAnnotationsAndTheContextIsNotAParameter() {
        // When
        ToolHandle handle = tool(catalog, "described");

        // Then
        assertThat(handle.description()).isEqualTo("Looks up the weather.");
        assertThat(handle.parametersSchema().toString()).isEqualTo(object("""
                "city":{"type":"string","description":"city name"}""", "\"city\""));
    }

    @Test
    void aToolWithoutParametersHasAnEmptyClosedObject() {
        // When
        var schema = tool(catalog, "none").parametersSchema();

        // Then
        assertThat(schema.toString()).isEqualTo(
                "{\"type\":\"object\",\"properties\":{},\"required\":[],\"additionalProperties\":false}");
    }

    @Test
    void everyToolIsStrictAndItsSchemaCanBeChangedByTheCallerWithoutEffect() {
        // Given
        ToolHandle handle = tool(catalog, "records");
        handle.parametersSchema().put("type", "changed");

        // When
        var schema = handle.parametersSchema();

        // Then
        assertThat(handle.strict()).isTrue();
        assertThat(schema.get("type").asText()).isEqualTo("object");
    }

    @Test
    void theApprovalFlagIsCarriedOver() {
        // When
        ToolHandle dangerous = tool(catalog, "dangerous");

        // Then
        assertThat(dangerous.requiresApproval()).isTrue();
        assertThat(tool(catalog, "none").requiresApproval()).isFalse();
    }

    private static String object(String properties, String required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":[" + required
                + "],\"additionalProperties\":false}";
    }
}
