package dev.berth.runtime.port;

import dev.berth.runtime.domain.AssistantDelta;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Notifications of committed changes, across processes (PostgreSQL LISTEN/NOTIFY). They are
 * hints, not data: a listener always reads the committed state afterwards, and every wait
 * has a bound, so a lost notification only delays, never loses, anything.
 *
 * <p>Threading: non-blocking; listeners run on an event-loop thread and must not block.
 */
public interface ChangeFeed {

    /**
     * Completes when events above {@code afterSeq} may exist for the session, or after {@code max}.
     * "May" includes a reconnection of the feed, after which notifications may have been missed.
     */
    Uni<Void> awaitSessionEvents(UUID sessionId, long afterSeq, Duration max);

    /** Completes when the run's status may have changed (as above), or after {@code max}. */
    Uni<Void> awaitRunChange(UUID runId, Duration max);

    /** Registers a listener called when a run may have become claimable. */
    void onWorkAvailable(Runnable listener);

    /**
     * Registers a listener for requests, from any process, that the owner of a run stop it
     * (a cancellation, an interrupt, the session's expiry); not for a run's own progress.
     */
    void onStopRequested(Consumer<UUID> listener);

    /**
     * Publishes a piece of an answer being generated to the streams of the session on every
     * process. Best effort: it may be lost, and is never stored.
     */
    Uni<Void> publishDelta(AssistantDelta delta);

    /** The deltas published for a session from now on. Never completes; the subscriber cancels. */
    Multi<AssistantDelta> deltas(UUID sessionId);
}
