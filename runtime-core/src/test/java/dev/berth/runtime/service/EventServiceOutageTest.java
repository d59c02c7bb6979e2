package dev.berth.runtime.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.SessionStatus;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A followed stream rides a database outage out: its reads are retried and it continues after its last event. */
class EventServiceOutageTest {
    private final TenantId tenant = new TenantId(UUID.randomUUID());
    private final Session session = new Session(UUID.randomUUID(), tenant, "agent", 1, "actor", SessionStatus.ACTIVE,
            InputPolicy.ENQUEUE, Map.of(), Map.of(), 0, Instant.EPOCH, Instant.EPOCH, null);

    @Test
    void readsTheDatabaseCouldNotAnswerAreRetriedAndTheStreamContinuesWithoutGapOrRepeat() {
        // Given a log with three events whose database is unavailable for the first reads after the first event
        OutageLog log = new OutageLog(List.of(event(1), event(2), event(3)), 1, 3);
        EventService service = new EventService(log, null, new LookAgainFeed());

        // When a client follows the session from the start
        AssertSubscriber<Event> client = service.follow(session, 0).subscribe()
                .withSubscriber(AssertSubscriber.create(3));

        // Then it gets every event once, in order, although three reads failed
        client.awaitItems(3, Duration.ofSeconds(10));
        assertThat(client.getItems()).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(client.getFailure()).isNull();
        assertThat(log.failures).hasValue(3);
        client.cancel();
    }

    @Test
    void anOutageLongerThanTheStreamRidesOutFailsItWithTheDatabasesUnavailability() {
        // Given a log whose database stays unavailable after the first event, and a stream that rides out 1 s
        OutageLog log = new OutageLog(List.of(event(1), event(2)), 1, Integer.MAX_VALUE - 1);
        EventService service = new EventService(log, null, new LookAgainFeed(), Duration.ofSeconds(1));

        // When a client follows the session
        AssertSubscriber<Event> client = service.follow(session, 0).subscribe()
                .withSubscriber(AssertSubscriber.create(3));

        // Then it gets the first event, then the stream fails with the unavailability (not Mutiny's "retries exhausted")
        client.awaitFailure(Duration.ofSeconds(10));
        assertThat(client.getItems()).extracting(Event::seq).containsExactly(1L);
        assertThat(client.getFailure()).isInstanceOf(UnavailableException.class);
        assertThat(log.failures.get()).isGreaterThan(1);
    }

    /** A change feed that always says "look again" at once (the stream never sleeps). */
    private static final class LookAgainFeed implements ChangeFeed {
        @Override
        public Uni<Void> awaitSessionEvents(UUID sessionId, long afterSeq, Duration max) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> awaitRunChange(UUID runId, Duration max) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public void onWorkAvailable(Runnable listener) {
        }

        @Override
        public void onStopRequested(Consumer<UUID> listener) {
        }

        @Override
        public Uni<Void> publishDelta(AssistantDelta delta) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Multi<AssistantDelta> deltas(UUID sessionId) {
            return Multi.createFrom().empty();
        }
    }

    private Event event(long seq) {
        return new Event(session.id(), seq, null, "user.message", DocumentJson.object(), Instant.EPOCH);
    }

    /** Pages of at most one event; the reads numbered from {@code failFrom}, {@code failing} of them, fail as an outage. */
    private static final class OutageLog implements EventLog {
        private final List<Event> events;
        private final int failFrom;
        private final int failing;
        private final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<dev.berth.runtime.domain.NewEvent> added,
                boolean whenIdle) {
            throw new UnsupportedOperationException("this test only reads");
        }

        @Override
        public Uni<List<Event>> visible(TenantId tenant, UUID sessionId, java.util.Set<String> types, String hiddenType,
                long fromSeq, boolean newestFirst, int limit) {
            throw new UnsupportedOperationException("this test only reads");
        }

        OutageLog(List<Event> events, int failFrom, int failing) {
            this.events = events;
            this.failFrom = failFrom;
            this.failing = failing;
        }

        @Override
        public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
            return Uni.createFrom().deferred(() -> {
                int read = reads.getAndIncrement();
                if (read >= failFrom && read < failFrom + failing) {
                    failures.incrementAndGet();
                    return Uni.createFrom().failure(new UnavailableException("the database is unavailable", null));
                }
                return Uni.createFrom().item(events.stream().filter(e -> e.seq() > afterSeq).limit(1).toList());
            });
        }

        @Override
        public Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit) {
            throw new UnsupportedOperationException();
        }
    }
}
