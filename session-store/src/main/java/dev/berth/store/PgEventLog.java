package dev.berth.store;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.EventLog;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@link EventLog} on the reactive pg client; both reads are index range scans. */
@ApplicationScoped
public class PgEventLog implements EventLog {
    private static final String COLUMNS = "session_id, seq, run_id, type, payload::text as payload, created_at";

    /**
     * The newest summary (partial index events_compactions) and the newest events after what it
     * summarises (a backward range scan of the primary key), in one round trip.
     */
    private static final String TAIL = """
            with summary as (
                select seq, run_id, type, payload, created_at from events
                 where session_id = $1 and tenant_id = $2 and type = 'context.compacted'
                 order by seq desc limit 1),
            tail as (
                select seq, run_id, type, payload, created_at from events
                 where session_id = $1 and tenant_id = $2
                   and seq > coalesce((select (payload ->> 'throughSeq')::bigint from summary), 0)
                 order by seq desc limit $3)
            select true as is_summary, $1 as session_id, seq, run_id, type, payload::text as payload, created_at
              from summary
            union all
            select false, $1, seq, run_id, type, payload::text, created_at from tail""";

    /** R__96: the events and the session's sequence in one statement, under the session's lock. */
    private static final String APPEND = "select seq, created_at from berth_append_history($1, $2, $3, $4, $5)";

    /**
     * Items not hidden: the session's hiding marks are read once (a range scan of the session's
     * events) and anti-joined; the items then come from the primary key's range in either direction.
     */
    private static final String VISIBLE = """
            with hidden as (
                select (payload ->> 'seq')::bigint as seq from events
                 where session_id = $1 and tenant_id = $2 and type = $3 and payload ? 'seq')
            select %s from events e
             where e.session_id = $1 and e.tenant_id = $2 and e.type = any($4) and e.seq %s $5
               and not exists (select 1 from hidden h where h.seq = e.seq)
             order by e.seq %s limit $6""";
    private static final String VISIBLE_UP = VISIBLE.formatted(COLUMNS, ">=", "asc");
    private static final String VISIBLE_DOWN = VISIBLE.formatted(COLUMNS, "<=", "desc");

    private final Pool pool;

    @Inject
    public PgEventLog(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from events where session_id = $1 and tenant_id = $2"
                        + " and seq > $3 order by seq limit $4")
                .execute(Tuple.of(sessionId, tenant.value(), afterSeq, limit))
                .map(PgEventLog::events)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit) {
        return pool.preparedQuery(TAIL).execute(Tuple.of(sessionId, tenant.value(), limit))
                .map(rows -> {
                    Event summary = null;
                    List<Event> window = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getBoolean("is_summary")) {
                            summary = Rows.event(row);
                        } else {
                            window.add(Rows.event(row));
                        }
                    }
                    window.sort(Comparator.comparingLong(Event::seq));
                    return new SessionTail(summary, window);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<NewEvent> events, boolean whenIdle) {
        String[] types = events.stream().map(NewEvent::type).toArray(String[]::new);
        String[] payloads = events.stream().map(event -> DocumentJson.write(event.data())).toArray(String[]::new);
        return pool.preparedQuery(APPEND).execute(Tuple.of(sessionId, tenant.value(), types, payloads, whenIdle))
                .map(rows -> {
                    List<Event> appended = new ArrayList<>();
                    int i = 0;
                    for (Row row : rows) {
                        NewEvent event = events.get(i++);
                        appended.add(new Event(sessionId, row.getLong("seq"), null, event.type(), event.data(),
                                Rows.instant(row, "created_at")));
                    }
                    appended.sort(Comparator.comparingLong(Event::seq));
                    return appended;
                })
                .onFailure().transform(failure -> switch (DbErrors.berthCode(failure)) {
                    case "BR002" -> new ConflictException("session-busy",
                            "a run of this session is still live; history can be added when it has settled");
                    case "BR003" -> new ConflictException("session-expired", "the session has expired and takes no more input");
                    case "BR004" -> new NotFoundException("session", sessionId);
                    default -> DbErrors.translate(failure);
                });
    }

    @Override
    public Uni<List<Event>> visible(TenantId tenant, UUID sessionId, Set<String> types, String hiddenType,
            long fromSeq, boolean newestFirst, int limit) {
        return pool.preparedQuery(newestFirst ? VISIBLE_DOWN : VISIBLE_UP)
                .execute(Tuple.of(sessionId, tenant.value(), hiddenType, types.toArray(String[]::new), fromSeq, limit))
                .map(PgEventLog::events)
                .onFailure().transform(DbErrors::translate);
    }

    private static List<Event> events(RowSet<Row> rows) {
        List<Event> events = new ArrayList<>();
        for (Row row : rows) {
            events.add(Rows.event(row));
        }
        return events;
    }
}
