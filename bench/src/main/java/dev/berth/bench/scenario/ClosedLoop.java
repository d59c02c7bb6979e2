package dev.berth.bench.scenario;

import dev.berth.bench.harness.CpuMeter;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.http.TurnResult;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Every session is a user who sends the next input as soon as the last answer arrives (a closed
 * loop, so the sessions in flight are exactly the sessions). Turns that end inside the measured
 * window count; the warm-up lets the queue reach its steady state first. After the window each
 * user finishes the turn in flight, so the next measurement starts from a quiet process.
 */
final class ClosedLoop {

    record Outcome(List<TurnResult> inWindow, double windowSeconds, int failures, String firstError,
            CpuMeter.Usage cpu) {
        double turnsPerSecond() {
            return inWindow.size() / windowSeconds;
        }
    }

    private ClosedLoop() {
    }

    static Outcome run(BerthClient client, List<UUID> sessions, Duration warmup, Duration window, Duration drain,
            CpuMeter cpu) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        AtomicReference<CpuMeter.Usage> usage = new AtomicReference<>();
        Thread meter = Thread.ofVirtual().start(() -> {
            LockSupport.parkNanos(windowStart - System.nanoTime());
            CpuMeter.Reading start = cpu.read();
            LockSupport.parkNanos(windowEnd - System.nanoTime());
            usage.set(cpu.read().since(start));
        });
        ConcurrentLinkedQueue<TurnResult> results = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        ExecutorService users = Executors.newVirtualThreadPerTaskExecutor();
        for (UUID session : sessions) {
            users.submit(() -> {
                while (System.nanoTime() < windowEnd) {
                    try {
                        results.add(client.turn(session, ScenarioContext.TEXT));
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                        // Back off a little so that a failing Berth is not hammered in a tight loop.
                        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                    }
                }
            });
        }
        users.shutdown();
        Sessions.awaitQuietly(users, warmup.plus(window).plus(drain));
        try {
            meter.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<TurnResult> inWindow = results.stream()
                .filter(r -> r.endNanos() >= windowStart && r.endNanos() <= windowEnd).toList();
        return new Outcome(inWindow, window.toNanos() / 1e9, failures.get(), firstError.get(), usage.get());
    }
}
