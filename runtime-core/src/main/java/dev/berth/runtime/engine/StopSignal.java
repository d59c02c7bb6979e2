package dev.berth.runtime.engine;

import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a run's model call that the run must stop (cancelled, lost, timed out). A call races
 * {@link #awaited()} against the model's answer; when the answer wins, the waiting side is
 * cancelled by removing a listener. (A {@code CompletableFuture} here threw a cancellation and
 * a completion exception for every model call that answered: most of the 35,610 exceptions of
 * 3,500 benchmark turns in the profile in {@code bench/results/profile-0ms.txt}.)
 *
 * <p>Thread safe: {@link #fire()} may be called from any thread, once or more.
 */
final class StopSignal {
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private volatile boolean fired;

    void fire() {
        fired = true;
        listeners.forEach(Runnable::run);
    }

    /** Completes with null once the signal fires (at once if it has); cancelling it leaves nothing behind. */
    <T> Uni<T> awaited() {
        return Uni.createFrom().emitter(emitter -> {
            Runnable wake = () -> emitter.complete(null);
            listeners.add(wake);
            emitter.onTermination(() -> listeners.remove(wake));
            if (fired) {
                wake.run();
            }
        });
    }
}
