package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.port.ChangeFeed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link ChangeFeed} for the in-memory store: notifications are delivered to listeners on one
 * thread of their own, after the change committed, like {@code LISTEN} callbacks on an event
 * loop. So a listener never runs inside the store's lock or on the caller's stack.
 *
 * <p>{@link #awaitSessionEvents} and {@link #awaitRunChange} complete on the next notification
 * for the session or run, or after {@code max} (real time, as the contract allows).
 */
public final class InMemoryChangeFeed implements ChangeFeed, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-memory-feed");
        t.setDaemon(true);
        return t;
    });
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<UUID>> stopListeners = new CopyOnWriteArrayList<>();
    private final Map<UUID, List<Runnable>> waiters = new ConcurrentHashMap<>();
    private final BroadcastProcessor<AssistantDelta> deltas = BroadcastProcessor.create();
    private volatile boolean silent;

    /** Stops delivering work notifications, so that a test claims by hand (engines never hear of work). */
    public void silence() {
        silent = true;
    }

    void workAvailable() {
        if (!silent) {
            thread.execute(() -> workListeners.forEach(Runnable::run));
        }
    }

    void stopRequested(UUID runId) {
        thread.execute(() -> stopListeners.forEach(listener -> listener.accept(runId)));
    }

    void runChanged(UUID runId) {
        wake(runId);
    }

    void sessionChanged(UUID sessionId) {
        wake(sessionId);
    }

    private void wake(UUID key) {
        List<Runnable> woken = waiters.remove(key);
        if (woken != null) {
            thread.execute(() -> woken.forEach(Runnable::run));
        }
    }

    private Uni<Void> await(UUID key, Duration max) {
        return Uni.createFrom().<Void>emitter(emitter -> waiters
                        .computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(() -> emitter.complete(null)))
                .ifNoItem().after(max).recoverWithItem((Void) null);
    }

    @Override
    public Uni<Void> awaitSessionEvents(UUID sessionId, long afterSeq, Duration max) {
        return await(sessionId, max);
    }

    @Override
    public Uni<Void> awaitRunChange(UUID runId, Duration max) {
        return await(runId, max);
    }

    @Override
    public void onWorkAvailable(Runnable listener) {
        workListeners.add(listener);
    }

    @Override
    public void onStopRequested(Consumer<UUID> listener) {
        stopListeners.add(listener);
    }

    @Override
    public Uni<Void> publishDelta(AssistantDelta delta) {
        deltas.onNext(delta);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Multi<AssistantDelta> deltas(UUID sessionId) {
        return deltas.filter(delta -> delta.sessionId().equals(sessionId));
    }

    /** Waits until every notification queued so far was delivered (tests assert after it). */
    public void settle() {
        try {
            thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the feed's thread did not settle", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
