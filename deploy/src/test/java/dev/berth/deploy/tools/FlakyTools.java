package dev.berth.deploy.tools;

import dev.berth.tool.Tool;
import dev.berth.tool.ToolProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process tools that misbehave, enabled only by {@link ToolsProfile} (an alternative), so
 * other tests' Berth does not offer them.
 */
@Alternative
@ApplicationScoped
public class FlakyTools implements ToolProvider {
    static final AtomicInteger ADD_CALLS = new AtomicInteger();

    @Override
    public List<Object> tools() {
        return List.of(this);
    }

    @Tool(description = "Adds two integers.")
    public int checkedAdd(int a, int b) {
        ADD_CALLS.incrementAndGet();
        return a + b;
    }

    /** An asynchronous tool that outlives the tool timeout. */
    @Tool(description = "Takes far longer than Berth allows a tool.")
    public CompletionStage<String> sleepy() {
        return CompletableFuture.supplyAsync(() -> "woke up", CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
    }

    /** A blocking tool (it runs on a virtual thread) that outlives the tool timeout. */
    @Tool(description = "Blocks far longer than Berth allows a tool.")
    public String sleepyBlocking() throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(30));
        return "woke up";
    }

    static final AtomicInteger SHAKY_CALLS = new AtomicInteger();
    static final java.util.Map<String, AtomicInteger> SHAKY_BY_KEY = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.List<Integer> SHAKY_ATTEMPTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Fails retryably the first two times it is called for a call (idempotency key), then succeeds. */
    @Tool(description = "Answers on the third try.")
    public String shaky(dev.berth.tool.ToolContext context) {
        SHAKY_CALLS.incrementAndGet();
        SHAKY_ATTEMPTS.add(context.attempt());
        int tries = SHAKY_BY_KEY.computeIfAbsent(context.idempotencyKey(), key -> new AtomicInteger()).incrementAndGet();
        if (tries <= 2) {
            throw dev.berth.tool.ToolException.retryable("The backend is busy, try again.");
        }
        return "steady after " + tries + " tries";
    }

    static final AtomicInteger BROKEN_CALLS = new AtomicInteger();

    /** Fails for good: a non-retryable ToolException is never tried again. */
    @Tool(description = "Always refuses.")
    public String refuses() {
        BROKEN_CALLS.incrementAndGet();
        throw new dev.berth.tool.ToolException("No, and asking again will not help.");
    }

    static final ConcurrencyProbe LIMITED = new ConcurrencyProbe();
    static final ConcurrencyProbe UNLIMITED = new ConcurrencyProbe();

    /** Limited to one execution at a time per process by the test's configuration. */
    @Tool(description = "Holds a scarce resource for a moment.")
    public String scarce() throws InterruptedException {
        return LIMITED.hold();
    }

    /** The same without a limit, to show that calls of one turn do run at once. */
    @Tool(description = "Holds a plentiful resource for a moment.")
    public String plentiful() throws InterruptedException {
        return UNLIMITED.hold();
    }

    /** Counts executions in flight and remembers the most seen at once. */
    static final class ConcurrencyProbe {
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();
        private final AtomicInteger calls = new AtomicInteger();

        String hold() throws InterruptedException {
            int now = inFlight.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            calls.incrementAndGet();
            try {
                Thread.sleep(Duration.ofMillis(300));
                return "held with " + now + " in flight";
            } finally {
                inFlight.decrementAndGet();
            }
        }

        int most() {
            return most.get();
        }

        int calls() {
            return calls.get();
        }
    }

    @Tool(description = "Repeats the text in capitals.")
    public String shout(String text) {
        return text.toUpperCase(java.util.Locale.ROOT);
    }

    @Tool(description = "Fails with an unexpected exception.")
    public String explode() {
        throw new IllegalStateException("connection to db-7 refused, password hunter2");
    }
}
