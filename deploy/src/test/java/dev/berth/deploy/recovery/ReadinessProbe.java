package dev.berth.deploy.recovery;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls a process's readiness until it stops answering, recording each status, as a
 * Kubernetes readiness probe would (only faster).
 */
final class ReadinessProbe {
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done;

    private ReadinessProbe(BerthClient client) {
        done = CompletableFuture.runAsync(() -> {
            while (true) {
                try {
                    statuses.add(client.readiness().status());
                } catch (IOException e) {
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        });
    }

    static ReadinessProbe start(BerthClient client) {
        return new ReadinessProbe(client);
    }

    /** The statuses seen until the process stopped answering. */
    List<Integer> awaitStatuses() throws Exception {
        done.get(60, TimeUnit.SECONDS);
        return List.copyOf(statuses);
    }
}
