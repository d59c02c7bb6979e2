package dev.berth.tool;

import static dev.berth.tool.Tools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One handle serves many calls at once, as the runtime makes them from virtual threads. */
class ConcurrentCallsTest {

    public record Pair(int left, int right) {
    }

    public static class Adder {
        @Tool(description = "Adds two numbers")
        public int add(Pair pair) {
            return pair.left() + pair.right();
        }
    }

    @Test
    void concurrentCallsEachGetTheirOwnArgumentsAndResult() throws Exception {
        // Given
        ToolHandle add = tool(new Adder(), "add");
        List<Future<String>> results;

        // When
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            results = IntStream.range(0, 500)
                    .mapToObj(i -> threads.submit(() -> Tools.call(add, "{\"pair\":{\"left\":" + i + ",\"right\":" + i + "}}")))
                    .toList();
        }

        // Then
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get()).isEqualTo(String.valueOf(2 * i));
        }
    }
}
