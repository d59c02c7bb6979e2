package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Uni;
import java.util.List;
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
}
