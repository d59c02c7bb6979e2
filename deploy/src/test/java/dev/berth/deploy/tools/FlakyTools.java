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

    @Tool(description = "Fails with an unexpected exception.")
    public String explode() {
        throw new IllegalStateException("connection to db-7 refused, password hunter2");
    }
}
