package dev.berth.bench.scenario;

import dev.berth.bench.http.BerthClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens many sessions through the API, a bounded number at a time. */
final class Sessions {
    private static final int PARALLEL = 32;

    private Sessions() {
    }

    /** Opens {@code count} sessions, giving up after {@code max}; returns those opened. */
    static List<UUID> open(BerthClient client, int count, String actorPrefix, Duration max) {
        ConcurrentLinkedQueue<UUID> opened = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        Semaphore permits = new Semaphore(PARALLEL);
        long deadline = System.nanoTime() + max.toNanos();
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < count && System.nanoTime() < deadline && failures.get() < 100; i++) {
                permits.acquireUninterruptibly();
                String actor = actorPrefix + "-" + i;
                exec.submit(() -> {
                    try {
                        opened.add(client.openSession(ScenarioContext.AGENT, actor));
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() == 1) {
                            System.err.println("opening a session failed: " + e.getMessage());
                        }
                    } finally {
                        permits.release();
                    }
                });
            }
        } finally {
            exec.shutdown();
            awaitQuietly(exec, Duration.ofSeconds(60));
        }
        return new ArrayList<>(opened);
    }

    static void awaitQuietly(ExecutorService exec, Duration max) {
        try {
            if (!exec.awaitTermination(max.toMillis(), TimeUnit.MILLISECONDS)) {
                exec.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exec.shutdownNow();
        }
    }
}
