package dev.berth.runtime.service;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
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
    public static final int MAX_PAGE = InputLimits.MAX_EVENT_PAGE;
    /** How often a follower reads without being told to (see RunService.POLL_BOUND). */
    private static final Duration POLL_BOUND = Duration.ofSeconds(10);
    /**
     * How long a follower keeps trying a read the database could not answer (it is restarting, a
     * failover is under way) before its stream fails: an outage shorter than this is invisible to
     * its clients; after a longer one they reconnect with Last-Event-ID.
     */
    public static final Duration OUTAGE_TOLERANCE = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LONGEST_RETRY_PAUSE = Duration.ofSeconds(2);

    private final EventLog events;
    private final SessionService sessions;
    private final ChangeFeed feed;
    private final Duration outageTolerance;

    @Inject
    public EventService(EventLog events, SessionService sessions, ChangeFeed feed) {
        this(events, sessions, feed, OUTAGE_TOLERANCE);
    }

    /** With the time a follower rides an outage out (tests shorten it). */
    EventService(EventLog events, SessionService sessions, ChangeFeed feed, Duration outageTolerance) {
        this.events = events;
        this.sessions = sessions;
        this.feed = feed;
        this.outageTolerance = outageTolerance;
    }

    /** Events after a sequence number, oldest first; 404 for an unknown session. */
    public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
        validate(afterSeq, limit);
        return sessions.get(tenant, sessionId).chain(session -> events.after(tenant, sessionId, afterSeq, limit));
    }

    /**
     * Every committed event of a session after {@code afterSeq}, then each new one as it is
     * committed, in order, without gaps or duplicates. Never completes; the subscriber cancels.
     * The session is the caller's, found by {@link SessionService#get} before the stream starts:
     * a stream looks nothing up itself, so a client that hangs up can never cut a lookup short.
     * It holds no pooled connection while it waits: it reads committed events in short queries
     * and sleeps on the change feed in between.
     */
    public Multi<Event> follow(Session session, long afterSeq) {
        validate(afterSeq, 1);
        return committed(session.tenant(), session.id(), afterSeq);
    }

    /** The committed events of a session known to exist, then each new one; never completes. */
    private Multi<Event> committed(TenantId tenant, UUID sessionId, long afterSeq) {
        AtomicLong cursor = new AtomicLong(afterSeq);
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        return Multi.createBy().repeating()
                .uni(() -> (caughtUp.get()
                        ? feed.awaitSessionEvents(sessionId, cursor.get(), POLL_BOUND)
                        : Uni.createFrom().voidItem())
                        .chain(() -> readThroughOutages(tenant, sessionId, cursor.get()))
                        .invoke(batch -> {
                            if (!batch.isEmpty()) {
                                cursor.set(batch.get(batch.size() - 1).seq());
                            }
                            caughtUp.set(batch.size() < MAX_PAGE);
                        }))
                .indefinitely()
                .onItem().transformToIterable(batch -> batch);
    }

    /**
     * The next page after {@code afterSeq}, retried while the database is unavailable, up to
     * {@link #OUTAGE_TOLERANCE} (built per read: Mutiny's expiry counts from when it is built).
     * The cursor only moves on a page read, so a retried read continues where the stream was.
     */
    private Uni<List<Event>> readThroughOutages(TenantId tenant, UUID sessionId, long afterSeq) {
        return events.after(tenant, sessionId, afterSeq, MAX_PAGE)
                .onFailure(UnavailableException.class).retry()
                .withBackOff(FIRST_RETRY, LONGEST_RETRY_PAUSE)
                .expireIn(outageTolerance.toMillis())
                // Mutiny reports the end of the retries as "Retries exhausted" with the last failure as
                // its cause: the stream's client is told about that failure (the database is unavailable).
                .onFailure(failure -> failure.getCause() instanceof UnavailableException).transform(Throwable::getCause);
    }

    /**
     * An event of a team's stream: from the followed session itself ({@code child} false), or
     * from the session of a sub-agent run it started, directly or further down ({@code child} true).
     */
    public record TeamEvent(UUID sessionId, Event event, boolean child) {
    }

    /** Concurrently followed child sessions per stream; more wait until one ends. */
    private static final int MAX_FOLLOWED_CHILDREN = 64;

    /**
     * As {@link #follow}, with the events of child runs merged in: each {@code subagent.started}
     * event starts following the child's session from its beginning, until the child run's last
     * event (its final answer, failure or cancellation), recursively. Child events are live
     * extras: only the session's own events are resumable by sequence.
     */
    public Multi<TeamEvent> followWithChildren(Session session, long afterSeq) {
        return withChildren(session.tenant(), session.id(), follow(session, afterSeq), false);
    }

    private Multi<TeamEvent> withChildren(TenantId tenant, UUID sessionId, Multi<Event> events, boolean child) {
        return events.onItem().transformToMulti(event -> {
            TeamEvent own = new TeamEvent(sessionId, event, child);
            if (!EventType.SUBAGENT_STARTED.equals(event.type())) {
                return Multi.createFrom().item(own);
            }
            UUID childSession = UUID.fromString(event.data().path("childSessionId").asText());
            UUID childRun = UUID.fromString(event.data().path("childRunId").asText());
            // The child session exists (it was created with the event) and belongs to the same tenant.
            Multi<Event> childEvents = committed(tenant, childSession, 0)
                    .onItem().transformToIterable(e -> endsRun(e, childRun) ? List.of(e, END) : List.of(e))
                    .select().first(e -> e != END);
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(own),
                    withChildren(tenant, childSession, childEvents, true));
        }).merge(MAX_FOLLOWED_CHILDREN);
    }

    /** Marks the end of a child's stream (never emitted to clients). */
    private static final Event END = new Event(new UUID(0, 0), -1, null, "end", DocumentJson.object(), java.time.Instant.EPOCH);

    /** Whether {@code event} is the last one of the run: its final answer, its failure or its cancellation. */
    public static boolean endsRun(Event event, UUID runId) {
        if (!runId.equals(event.runId())) {
            return false;
        }
        return EventType.RUN_FAILED.equals(event.type()) || EventType.RUN_CANCELLED.equals(event.type())
                || EventType.ASSISTANT_MESSAGE.equals(event.type()) && event.data().path("final").asBoolean(false);
    }

    /** Previews of answers being generated in the session (found as for {@link #follow}), from now on; best effort. */
    public Multi<AssistantDelta> deltas(Session session) {
        return feed.deltas(session.id());
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
