package dev.berth.runtime.service;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Reads and follows a session's committed events, from any process. */
@ApplicationScoped
public class EventService {
    public static final int MAX_PAGE = 500;
    /** A lost notification delays a follower by at most this much. */
    private static final Duration POLL_BOUND = Duration.ofSeconds(2);

    private final EventLog events;
    private final SessionService sessions;
    private final ChangeFeed feed;

    @Inject
    public EventService(EventLog events, SessionService sessions, ChangeFeed feed) {
        this.events = events;
        this.sessions = sessions;
        this.feed = feed;
    }

    /** Events after a sequence number, oldest first; 404 for an unknown session. */
    public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
        validate(afterSeq, limit);
        return sessions.get(tenant, sessionId).chain(session -> events.after(tenant, sessionId, afterSeq, limit));
    }

    /**
     * Every committed event after {@code afterSeq}, then each new one as it is committed, in
     * order, without gaps or duplicates. Never completes; the subscriber cancels.
     */
    public Uni<Multi<Event>> follow(TenantId tenant, UUID sessionId, long afterSeq) {
        validate(afterSeq, 1);
        return sessions.get(tenant, sessionId).map(session -> {
            AtomicLong cursor = new AtomicLong(afterSeq);
            AtomicBoolean caughtUp = new AtomicBoolean(false);
            return Multi.createBy().repeating()
                    .uni(() -> (caughtUp.get()
                            ? feed.awaitSessionEvents(sessionId, cursor.get(), POLL_BOUND)
                            : Uni.createFrom().voidItem())
                            .chain(() -> events.after(tenant, sessionId, cursor.get(), MAX_PAGE))
                            .invoke(batch -> {
                                if (!batch.isEmpty()) {
                                    cursor.set(batch.get(batch.size() - 1).seq());
                                }
                                caughtUp.set(batch.size() < MAX_PAGE);
                            }))
                    .indefinitely()
                    .onItem().transformToIterable(batch -> batch);
        });
    }

    /**
     * Previews of answers being generated in the session, from now on (best effort; not
     * checked against the tenant: call it only after {@link #follow} found the session).
     */
    public Multi<AssistantDelta> deltas(UUID sessionId) {
        return feed.deltas(sessionId);
    }

    private static void validate(long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ValidationException.field("after", "must not be negative");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_PAGE);
        }
    }
}
