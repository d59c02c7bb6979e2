package dev.berth.runtime.engine;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells a run's model call that the run must stop (cancelled, lost): {@link #race} gives the
 * call's answer, or null as soon as the signal fires, cancelling the call. Written out rather
 * than with {@code Uni.combine().any()} or a {@code CompletableFuture}: both cancel a future
 * when the answer wins, which creates a cancellation and a completion exception per model call
 * (most of the 35,610 exceptions of 3,500 benchmark turns, see
 * {@code bench/results/profile-0ms.txt}).
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

    /** The work's item or failure; null, with the work cancelled, if the signal fires first (or has). */
    <T> Uni<T> race(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean over = new AtomicBoolean();
            AtomicReference<Cancellable> running = new AtomicReference<>();
            Runnable stop = () -> emitter.complete(null);
            listeners.add(stop);
            emitter.onTermination(() -> {
                over.set(true);
                listeners.remove(stop);
                cancel(running.get());
            });
            running.set(work.subscribe().with(emitter::complete, emitter::fail));
            if (over.get()) {
                cancel(running.get()); // stopped (or cancelled) while the work was being subscribed
            }
            if (fired) {
                stop.run();
            }
        });
    }

    private static void cancel(Cancellable subscription) {
        if (subscription != null) {
            subscription.cancel();
        }
    }
}
