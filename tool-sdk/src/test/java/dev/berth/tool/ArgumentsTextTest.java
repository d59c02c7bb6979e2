package dev.berth.tool;

import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The arguments text exactly as a model wrote it. */
class ArgumentsTextTest {

    public static class Echo {
        final AtomicInteger calls = new AtomicInteger();

        @Tool(description = "Echoes")
        public String echo(String text) {
            calls.incrementAndGet();
            return text;
        }

        @Tool(description = "Pings")
        public String ping() {
            return "pong";
        }
    }

    private final Echo echo = new Echo();

    @Test
    void validTextIsParsedAndPassedOn() {
        // When
        CompletableFuture<String> result = tool(echo, "echo").invokeJson("{\"text\":\"hi\"}", new TestContext())
                .toCompletableFuture();

        // Then
        assertThat(result).isCompletedWithValue("hi");
    }

    @Test
    void aTextNodeIsTheArgumentsText() {
        // When
        CompletableFuture<String> result = tool(echo, "echo")
                .invoke(Tools.JSON.getNodeFactory().textNode("{\"text\":\"hi\"}"), new TestContext())
                .toCompletableFuture();

        // Then
        assertThat(result).isCompletedWithValue("hi");
    }

    @Test
    void blankTextMeansNoArguments() {
        // When
        CompletableFuture<String> result = tool(echo, "ping").invokeJson("", new TestContext()).toCompletableFuture();

        // Then
        assertThat(result).isCompletedWithValue("pong");
    }

    @Test
    void textThatIsNotJsonIsInvalidArguments() {
        // When
        CompletableFuture<String> result = tool(echo, "echo").invokeJson("{\"text\": hi}", new TestContext())
                .toCompletableFuture();

        // Then
        assertThat(result).isCompletedExceptionally();
        assertThat(result.exceptionNow()).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageStartingWith("Invalid arguments for tool 'echo': the arguments are not valid JSON (")
                .hasMessageEndingWith("). Send one JSON object and call the tool again.");
        assertThat(echo.calls).hasValue(0);
    }

    @Test
    void aRepeatedKeyIsInvalidArguments() {
        // When
        CompletableFuture<String> result = tool(echo, "echo")
                .invokeJson("{\"text\":\"a\",\"text\":\"b\"}", new TestContext()).toCompletableFuture();

        // Then
        assertThat(result.exceptionNow()).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("Duplicate field 'text'");
        assertThat(echo.calls).hasValue(0);
    }
}
