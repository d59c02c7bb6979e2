package dev.berth.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Declaration mistakes fail when the tools are loaded, with a message that names the fix. */
class ScanRulesTest {

    public record Node(String name, List<Node> children) {
    }

    public static class Pojo {
        public String value;
    }

    public static class TwoContexts {
        @Tool(description = "d")
        public void twice(ToolContext first, ToolContext second) {
        }
    }

    public static class ObjectParameter {
        @Tool(description = "d")
        public void anything(Object value) {
        }
    }

    public static class JsonParameter {
        @Tool(description = "d")
        public void anything(JsonNode value) {
        }
    }

    public static class PojoParameter {
        @Tool(description = "d")
        public void pojo(Pojo value) {
        }
    }

    public static class RawList {
        @Tool(description = "d")
        public void raw(@SuppressWarnings("rawtypes") List values) {
        }
    }

    public static class IntegerKeys {
        @Tool(description = "d")
        public void map(Map<Integer, String> values) {
        }
    }

    public static class Wildcard {
        @Tool(description = "d")
        public void wild(List<? extends Number> values) {
        }
    }

    public static class Recursive {
        @Tool(description = "d")
        public void tree(Node root) {
        }
    }

    public static class NestedOptional {
        @Tool(description = "d")
        public void nested(Optional<Optional<String>> value) {
        }
    }

    public static class DeepUnsupported {
        public record Outer(List<Map<String, Object>> rows) {
        }

        @Tool(description = "d")
        public void deep(Outer outer) {
        }
    }

    public record Page<T>(List<T> items) {
    }

    public static class GenericRecord {
        @Tool(description = "d")
        public void page(Page<String> page) {
        }
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    public @interface Nullable {
    }

    public static class NullablePrimitive {
        @Tool(description = "d")
        public void limit(@Nullable int limit) {
        }
    }

    public static class NotPublic {
        @Tool(description = "d")
        void hidden() {
        }
    }

    public static class BlankDescription {
        @Tool(description = " ")
        public void quiet() {
        }
    }

    public static class SameParameterName {
        @Tool(description = "d")
        public void clash(String a, @ToolParam(name = "a") String b) {
        }
    }

    public static class NoTools {
        public void notATool() {
        }
    }

    public interface Greeter {
        @Tool(description = "Greets someone")
        String greet(String name);
    }

    /** Like a CDI proxy: overrides without repeating the annotation. */
    public static class GreeterProxy implements Greeter {
        @Override
        public String greet(String name) {
            return "hello " + name;
        }
    }

    private static String scanError(Object tools) {
        try {
            ToolScanner.scan(tools);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the scan to fail");
    }

    @Test
    void moreThanOneContextIsRefused() {
        // When
        String error = scanError(new TwoContexts());

        // Then
        assertThat(error).endsWith("TwoContexts#twice: declares more than one ToolContext parameter");
    }

    @Test
    void objectHasNoSchema() {
        // When
        String error = scanError(new ObjectParameter());

        // Then
        assertThat(error).endsWith("ObjectParameter#anything(value): type java.lang.Object has no JSON schema; use a"
                + " String, number, boolean, enum, record, java.time type, UUID, List, Set, array, Map or Optional");
    }

    @Test
    void freeFormJsonHasNoStrictSchema() {
        // When
        String error = scanError(new JsonParameter());

        // Then
        assertThat(error).contains("(value): type com.fasterxml.jackson.databind.JsonNode has no JSON schema");
    }

    @Test
    void classesOtherThanRecordsAreRefused() {
        // When
        String error = scanError(new PojoParameter());

        // Then
        assertThat(error).contains("(value): type " + Pojo.class.getName() + " has no JSON schema");
    }

    @Test
    void rawCollectionsAreRefused() {
        // When
        String error = scanError(new RawList());

        // Then
        assertThat(error).endsWith("RawList#raw(values): raw List; declare its type arguments");
    }

    @Test
    void mapKeysMustBeStringsOrEnums() {
        // When
        String error = scanError(new IntegerKeys());

        // Then
        assertThat(error).endsWith("(values): map keys must be String or an enum, not java.lang.Integer");
    }

    @Test
    void wildcardsAreRefused() {
        // When
        String error = scanError(new Wildcard());

        // Then
        assertThat(error).endsWith("(values)[]: type ? extends java.lang.Number is not concrete; declare a concrete type");
    }

    @Test
    void recursiveRecordsAreRefused() {
        // When
        String error = scanError(new Recursive());

        // Then
        assertThat(error).endsWith("Recursive#tree(root).children[]: record Node contains itself;"
                + " recursive types cannot be described in a strict schema");
    }

    @Test
    void optionalOfOptionalIsRefused() {
        // When
        String error = scanError(new NestedOptional());

        // Then
        assertThat(error).endsWith("(value): an Optional of an optional value is ambiguous");
    }

    @Test
    void theErrorNamesThePathToADeepUnsupportedType() {
        // When
        String error = scanError(new DeepUnsupported());

        // Then
        assertThat(error).contains("DeepUnsupported#deep(outer).rows[]{value}: type java.lang.Object has no JSON schema");
    }

    @Test
    void genericRecordsAreRefused() {
        // When
        String error = scanError(new GenericRecord());

        // Then
        assertThat(error).endsWith("GenericRecord#page(page): generic record Page is not supported; declare a record"
                + " with concrete component types");
    }

    @Test
    void aNullablePrimitiveIsRefused() {
        // When
        String error = scanError(new NullablePrimitive());

        // Then
        assertThat(error).endsWith("NullablePrimitive#limit(limit): a primitive cannot be @Nullable; use Integer or Optional");
    }

    @Test
    void nonPublicToolMethodsAreRefused() {
        // When
        String error = scanError(new NotPublic());

        // Then
        assertThat(error).endsWith("NotPublic#hidden: @Tool methods must be public");
    }

    @Test
    void aBlankDescriptionIsRefused() {
        // When
        String error = scanError(new BlankDescription());

        // Then
        assertThat(error).contains("BlankDescription#quiet: @Tool description must not be blank");
    }

    @Test
    void twoParametersWithTheSameNameAreRefused() {
        // When
        String error = scanError(new SameParameterName());

        // Then
        assertThat(error).endsWith("SameParameterName#clash: two parameters are named 'a'");
    }

    @Test
    void anObjectWithoutToolsIsRefused() {
        // When
        String error = scanError(new NoTools());

        // Then
        assertThat(error).isEqualTo(NoTools.class.getName() + " has no @Tool methods");
    }

    @Test
    void toolsDeclaredOnAnInterfaceAreFoundThroughAnOverride() {
        // When
        List<ToolHandle> tools = ToolScanner.scan(new GreeterProxy());

        // Then
        assertThat(tools).extracting(ToolHandle::name).containsExactly("greet");
        assertThat(Tools.call(tools.get(0), "{\"name\":\"Ada\"}")).isEqualTo("hello Ada");
    }

    @Test
    void aNullObjectIsRefused() {
        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(null));

        // Then
        assertThat(error).isInstanceOf(NullPointerException.class);
    }
}
