package dev.berth.store;

import dev.berth.runtime.domain.Event;
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

    private static List<Event> events(RowSet<Row> rows) {
        List<Event> events = new ArrayList<>();
        for (Row row : rows) {
            events.add(Rows.event(row));
        }
        return events;
    }
}
