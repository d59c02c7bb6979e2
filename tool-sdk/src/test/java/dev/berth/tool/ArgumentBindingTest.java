package dev.berth.tool;

import static dev.berth.tool.Tools.call;
import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Valid arguments reach the method as the Java values they describe. */
class ArgumentBindingTest {

    public enum Color { RED, GREEN }

    public record Line(@ToolParam(name = "product_id") String productId, int quantity, Optional<String> note) {
    }

    public record Basket(List<Line> lines, Color color) {
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    public @interface Nullable {
    }

    public static class Recorder {
        final AtomicReference<List<Object>> received = new AtomicReference<>();

        @Tool(description = "records")
        public void basket(Basket basket) {
            received.set(List.of(basket));
        }

        @Tool(description = "optionals")
        public void optionals(Optional<String> note, OptionalInt limit, @Nullable String comment) {
            received.set(java.util.Arrays.asList(note, limit, comment));
        }

        @Tool(description = "collections")
        public void collections(Set<Color> colors, int[] numbers, Map<String, Integer> counts,
                                SortedMap<Color, List<String>> byColor) {
            received.set(List.of(colors, numbers, counts, byColor));
        }

        @Tool(description = "collection interfaces")
        public void interfaces(Collection<String> all, Iterable<String> each, SortedSet<String> sorted,
                               NavigableSet<Integer> navigable, NavigableMap<String, Long> tree, byte[] raw) {
            received.set(List.of(all, each, sorted, navigable, tree, raw));
        }

        @Tool(description = "times")
        public void times(OffsetDateTime at, LocalDate day, Duration timeout) {
            received.set(List.of(at, day, timeout));
        }

        @Tool(description = "context")
        public String context(String key, ToolContext context) {
            context.putState(key, "seen by " + context.actorId() + " in " + context.idempotencyKey());
            return "done";
        }
    }

    private final Recorder recorder = new Recorder();

    @Test
    void nestedRecordsEnumsAndRenamedComponentsAreBound() {
        // When
        call(tool(recorder, "basket"), """
                {"basket":{"lines":[{"product_id":"p-1","quantity":2,"note":null},
                                    {"product_id":"p-2","quantity":1,"note":"gift"}],"color":"GREEN"}}""");

        // Then
        assertThat(recorder.received.get()).containsExactly(new Basket(List.of(
                new Line("p-1", 2, Optional.empty()), new Line("p-2", 1, Optional.of("gift"))), Color.GREEN));
    }

    @Test
    void nullOptionalsBecomeEmpty() {
        // When
        call(tool(recorder, "optionals"), """
                {"note":null,"limit":null,"comment":null}""");

        // Then
        assertThat(recorder.received.get()).containsExactly(Optional.empty(), OptionalInt.empty(), null);
    }

    @Test
    void omittedOptionalsBecomeEmptyForNonStrictCallers() {
        // When
        call(tool(recorder, "optionals"), "{}");

        // Then
        assertThat(recorder.received.get()).containsExactly(Optional.empty(), OptionalInt.empty(), null);
    }

    @Test
    void presentOptionalsAreBound() {
        // When
        call(tool(recorder, "optionals"), """
                {"note":"n","limit":3.0,"comment":"c"}""");

        // Then
        assertThat(recorder.received.get()).containsExactly(Optional.of("n"), OptionalInt.of(3), "c");
    }

    @Test
    void setsArraysAndMapsInEitherFormAreBound() {
        // When
        call(tool(recorder, "collections"), """
                {"colors":["RED","RED","GREEN"],"numbers":[1,2,3],
                 "counts":[{"key":"a","value":1},{"key":"b","value":2}],
                 "byColor":{"GREEN":["leaf"],"RED":["rose","cherry"]}}""");

        // Then
        List<Object> received = recorder.received.get();
        assertThat(received.get(0)).isEqualTo(Set.of(Color.RED, Color.GREEN));
        assertThat((int[]) received.get(1)).containsExactly(1, 2, 3);
        assertThat(received.get(2)).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(received.get(3)).isEqualTo(Map.of(Color.GREEN, List.of("leaf"), Color.RED, List.of("rose", "cherry")));
    }

    @Test
    void everyAcceptedCollectionInterfaceIsBound() {
        // When
        call(tool(recorder, "interfaces"), """
                {"all":["a"],"each":["b","c"],"sorted":["z","y"],"navigable":[3,1],
                 "tree":[{"key":"k","value":9}],"raw":[1,-2]}""");

        // Then
        List<Object> received = recorder.received.get();
        assertThat(received.get(0)).asInstanceOf(InstanceOfAssertFactories.COLLECTION).containsExactly("a");
        assertThat(received.get(1)).asInstanceOf(InstanceOfAssertFactories.ITERABLE).containsExactly("b", "c");
        assertThat(received.get(2)).asInstanceOf(InstanceOfAssertFactories.ITERABLE).containsExactly("y", "z");
        assertThat(received.get(3)).asInstanceOf(InstanceOfAssertFactories.ITERABLE).containsExactly(1, 3);
        assertThat(received.get(4)).isEqualTo(new TreeMap<>(Map.of("k", 9L)));
        assertThat((byte[]) received.get(5)).containsExactly(1, -2);
    }

    @Test
    void javaTimeValuesKeepTheirOffset() {
        // When
        call(tool(recorder, "times"), """
                {"at":"2026-01-31T09:30:00+01:00","day":"2026-02-01","timeout":"PT15M"}""");

        // Then
        assertThat(recorder.received.get()).containsExactly(OffsetDateTime.parse("2026-01-31T09:30:00+01:00"),
                LocalDate.of(2026, 2, 1), Duration.ofMinutes(15));
    }

    @Test
    void theContextIsPassedToTheTool() {
        // Given
        TestContext context = new TestContext();

        // When
        call(tool(recorder, "context"), "{\"key\":\"k\"}", context);

        // Then
        assertThat(context.state).containsEntry("k", "seen by actor-1 in run-1:call-1");
    }
}
