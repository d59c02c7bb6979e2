package dev.berth.tool;

import static dev.berth.tool.Tools.call;
import static dev.berth.tool.Tools.failure;
import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What the model reads back, and what the runtime sees when a tool fails. */
class ResultAndFailureTest {

    public record Forecast(String city, double celsius, Instant at, Optional<String> warning) {
    }

    public static class Weather {
        final CompletableFuture<String> pending = new CompletableFuture<>();

        @Tool(description = "text")
        public String text() {
            return "sunny, {not json}";
        }

        @Tool(description = "nothing")
        public void nothing() {
        }

        @Tool(description = "structured")
        public Forecast structured() {
            return new Forecast("Oslo", -3.5, Instant.parse("2026-01-31T09:30:00Z"), Optional.empty());
        }

        @Tool(description = "a list")
        public List<Integer> numbers() {
            return List.of(1, 2);
        }

        @Tool(description = "null")
        public Forecast missing() {
            return null;
        }

        @Tool(description = "async")
        public CompletionStage<String> later() {
            return pending;
        }

        @Tool(description = "async, nothing")
        public CompletableFuture<Void> laterNothing() {
            return CompletableFuture.completedFuture(null);
        }

        @Tool(description = "async failure")
        public CompletionStage<Forecast> laterFailing() {
            return CompletableFuture.supplyAsync(() -> {
                throw ToolException.retryable("the weather service is busy");
            });
        }

        @Tool(description = "async null")
        public CompletionStage<String> laterNull() {
            return null;
        }

        @Tool(description = "reports")
        public String reports() {
            throw new ToolException("no such city", false, "geocoder returned 404", null);
        }

        @Tool(description = "crashes")
        public String crashes() throws IOException {
            throw new IOException("disk full");
        }
    }

    private final Weather weather = new Weather();

    @Test
    void aStringIsReturnedAsIs() {
        // When
        String result = call(tool(weather, "text"), "{}");

        // Then
        assertThat(result).isEqualTo("sunny, {not json}");
    }

    @Test
    void voidIsOk() {
        // When
        String result = call(tool(weather, "nothing"), "{}");

        // Then
        assertThat(result).isEqualTo("ok");
    }

    @Test
    void anythingElseIsJsonWithIsoDates() {
        // When
        String result = call(tool(weather, "structured"), "{}");

        // Then
        assertThat(result).isEqualTo("{\"city\":\"Oslo\",\"celsius\":-3.5,\"at\":\"2026-01-31T09:30:00Z\",\"warning\":null}");
    }

    @Test
    void collectionsAreJsonArrays() {
        // When
        String result = call(tool(weather, "numbers"), "{}");

        // Then
        assertThat(result).isEqualTo("[1,2]");
    }

    @Test
    void nullIsJsonNull() {
        // When
        String result = call(tool(weather, "missing"), "{}");

        // Then
        assertThat(result).isEqualTo("null");
    }

    @Test
    void aCompletionStageToolIsAsynchronousAndCompletesWhenTheToolDoes() {
        // Given
        ToolHandle later = tool(weather, "later");
        CompletionStage<String> stage = later.invoke(Tools.json("{}"), new TestContext());

        // When
        weather.pending.complete("rain");

        // Then
        assertThat(later.blocking()).isFalse();
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("rain");
    }

    @Test
    void anAsyncVoidToolIsOk() {
        // When
        String result = call(tool(weather, "later_nothing"), "{}");

        // Then
        assertThat(result).isEqualTo("ok");
    }

    @Test
    void anAsyncFailureIsUnwrapped() {
        // When
        Throwable failure = failure(tool(weather, "later_failing"), "{}");

        // Then
        assertThat(failure).isExactlyInstanceOf(ToolException.class).hasMessage("the weather service is busy");
        assertThat(((ToolException) failure).retryable()).isTrue();
    }

    @Test
    void anAsyncToolReturningNullFails() {
        // When
        Throwable failure = failure(tool(weather, "later_null"), "{}");

        // Then
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessage("tool 'later_null' returned null instead of a CompletionStage");
    }

    @Test
    void aToolExceptionPassesThroughAsIs() {
        // When
        Throwable failure = failure(tool(weather, "reports"), "{}");

        // Then
        assertThat(tool(weather, "reports").blocking()).isTrue();
        assertThat(failure).isExactlyInstanceOf(ToolException.class).hasMessage("no such city");
        assertThat(((ToolException) failure).operatorDetail()).isEqualTo("geocoder returned 404");
    }

    @Test
    void anyOtherExceptionPassesThroughUnwrapped() {
        // When
        Throwable failure = failure(tool(weather, "crashes"), "{}");

        // Then
        assertThat(failure).isExactlyInstanceOf(IOException.class).hasMessage("disk full");
    }
}
