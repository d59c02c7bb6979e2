package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Uni;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** {@link EventLog} over the {@link InMemoryDatabase}: the same reads as the PostgreSQL adapter's. */
public final class InMemoryEventLog implements EventLog {
    private final InMemoryDatabase db;

    public InMemoryEventLog(InMemoryDatabase db) {
        this.db = db;
    }

    private <T> Uni<T> tx(Supplier<T> work) {
        return Uni.createFrom().item(() -> db.statement(work));
    }

    private List<Event> log(TenantId tenant, UUID sessionId) {
        SessionRow session = db.sessions.get(sessionId);
        return session == null || !session.tenant.equals(tenant) ? List.of() : db.events.get(sessionId);
    }

    @Override
    public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
        return tx(() -> log(tenant, sessionId).stream().filter(e -> e.seq() > afterSeq).limit(limit).toList());
    }

    @Override
    public Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit) {
        return tx(() -> {
            List<Event> log = log(tenant, sessionId);
            Event summary = log.reversed().stream().filter(e -> EventType.CONTEXT_COMPACTED.equals(e.type()))
                    .findFirst().orElse(null);
            long through = summary == null ? 0 : summary.data().path("throughSeq").asLong(0);
            List<Event> after = log.stream().filter(e -> e.seq() > through).toList();
            return new SessionTail(summary, after.subList(Math.max(0, after.size() - limit), after.size()));
        });
    }

    @Override
    public Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<NewEvent> events, boolean whenIdle) {
        return tx(() -> {
            SessionRow session = db.sessions.get(sessionId);
            if (session == null || !session.tenant.equals(tenant)) {
                throw new NotFoundException("session", sessionId);
            }
            if (!session.open(db.clock.instant())) {
                throw new ConflictException("session-expired", "the session has expired and takes no more input");
            }
            if (whenIdle && db.sessionBusy(sessionId)) {
                throw new ConflictException("session-busy",
                        "a run of this session is still live; history can be added when it has settled");
            }
            db.append(session, null, events);
            List<Event> log = db.events.get(sessionId);
            return List.copyOf(log.subList(log.size() - events.size(), log.size()));
        });
    }

    @Override
    public Uni<List<Event>> visible(TenantId tenant, UUID sessionId, Set<String> types, String hiddenType,
            long fromSeq, boolean newestFirst, int limit) {
        return tx(() -> {
            List<Event> log = log(tenant, sessionId);
            Set<Long> hidden = new java.util.HashSet<>();
            log.stream().filter(e -> hiddenType.equals(e.type()) && e.data().has("seq"))
                    .forEach(e -> hidden.add(e.data().get("seq").asLong()));
            return log.stream()
                    .filter(e -> types.contains(e.type()) && !hidden.contains(e.seq()))
                    .filter(e -> newestFirst ? e.seq() <= fromSeq : e.seq() >= fromSeq)
                    .sorted(newestFirst ? Comparator.comparingLong(Event::seq).reversed() : Comparator.comparingLong(Event::seq))
                    .limit(limit).toList();
        });
    }
}
