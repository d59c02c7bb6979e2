package dev.berth.tool;

import static dev.berth.tool.Tools.failure;
import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Arguments that do not fit the schema are refused with a message the model can act on. */
class ArgumentValidationTest {

    public enum Priority { LOW, HIGH }

    public record Item(String sku, int quantity) {
    }

    public record Order(List<Item> items, Priority priority) {
    }

    public record Positive(int value) {
        public Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    public static class Orders {
        final AtomicInteger calls = new AtomicInteger();

        @Tool(description = "Places an order")
        public String place(Order order, String note, Optional<String> coupon) {
            calls.incrementAndGet();
            return "placed";
        }

        @Tool(description = "Counts")
        public void count(int count, byte small, char letter, boolean flag) {
            calls.incrementAndGet();
        }

        @Tool(description = "Schedules")
        public void schedule(Instant at, Map<String, Integer> limits) {
            calls.incrementAndGet();
        }

        @Tool(description = "Checks")
        public void check(Positive positive) {
            calls.incrementAndGet();
        }
    }

    private final Orders orders = new Orders();

    @Test
    void aMissingRequiredParameterIsNamedWithWhatIsExpected() {
        // When
        Throwable failure = failure(tool(orders, "place"), """
                {"order":{"items":[],"priority":"LOW"},"coupon":null}""");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class).hasMessage(
                "Invalid arguments for tool 'place': 'note' is missing; expected a string."
                        + " Correct the arguments and call the tool again.");
        assertThat(((ToolException) failure).retryable()).isFalse();
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void aWrongTypeInsideAListNamesThePath() {
        // When
        Throwable failure = failure(tool(orders, "place"), """
                {"order":{"items":[{"sku":"A","quantity":1},{"sku":"B","quantity":"two"}],"priority":"LOW"},
                 "note":"n","coupon":null}""");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'order.items[1].quantity' expected an integer from -2147483648 to 2147483647,"
                        + " got the string \"two\"");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void anUnknownPropertyIsRefusedAndTheAllowedOnesAreListed() {
        // When
        Throwable failure = failure(tool(orders, "place"), """
                {"order":{"items":[],"priority":"LOW","rush":true},"note":"n","coupon":null}""");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'order.rush' is not allowed here; expected only the properties 'items', 'priority'");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void anUnknownEnumValueListsTheAllowedValues() {
        // When
        Throwable failure = failure(tool(orders, "place"), """
                {"order":{"items":[],"priority":"urgent"},"note":"n","coupon":null}""");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'order.priority' expected one of \"LOW\", \"HIGH\", got the string \"urgent\"");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void nullIsRefusedWhereTheValueIsNotOptional() {
        // When
        Throwable failure = failure(tool(orders, "place"), """
                {"order":{"items":[],"priority":"LOW"},"note":null,"coupon":null}""");

        // Then
        assertThat(failure).hasMessageContaining("'note' expected a string, got null");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void allProblemsAreReportedTogether() {
        // When
        Throwable failure = failure(tool(orders, "count"), """
                {"count":2.5,"small":300,"letter":"ab","flag":"yes"}""");

        // Then
        assertThat(failure).hasMessage("Invalid arguments for tool 'count': "
                + "'count' expected an integer from -2147483648 to 2147483647, got the number 2.5; "
                + "'small' expected an integer from -128 to 127, got the number 300; "
                + "'letter' expected a string of exactly one character, got the string \"ab\"; "
                + "'flag' expected a boolean (true or false), got the string \"yes\"."
                + " Correct the arguments and call the tool again.");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void aMalformedDateSaysWhichFormatIsExpected() {
        // When
        Throwable failure = failure(tool(orders, "schedule"), """
                {"at":"tomorrow at nine","limits":[]}""");

        // Then
        assertThat(failure).hasMessageContaining("'at' expected an ISO-8601 date-time with offset such as"
                + " \"2026-01-31T09:30:00Z\", got the string \"tomorrow at nine\"");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void aRepeatedMapKeyIsRefused() {
        // When
        Throwable failure = failure(tool(orders, "schedule"), """
                {"at":"2026-01-31T09:30:00Z","limits":[{"key":"a","value":1},{"key":"a","value":2}]}""");

        // Then
        assertThat(failure).hasMessageContaining("'limits[1].key' repeats the key \"a\"; each key may appear once");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void argumentsThatAreNotAnObjectAreRefused() {
        // When
        Throwable failure = failure(tool(orders, "check"), "[1,2]");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("the arguments expected an object with the properties 'positive', got an array");
        assertThat(orders.calls).hasValue(0);
    }

    @Test
    void aRecordConstructorRejectingAValuePassesItsMessageOn() {
        // When
        Throwable failure = failure(tool(orders, "check"), """
                {"positive":{"value":-3}}""");

        // Then
        assertThat(failure).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'positive' was rejected: value must be positive, was -3");
        assertThat(orders.calls).hasValue(0);
    }
}
