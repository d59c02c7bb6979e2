package dev.berth.store;

import dev.berth.runtime.domain.Event;
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
import java.util.List;
import java.util.UUID;

/** {@link EventLog} on the reactive pg client; both reads are index range scans of the primary key. */
@ApplicationScoped
public class PgEventLog implements EventLog {
    private static final String COLUMNS = "session_id, seq, run_id, type, payload::text as payload, created_at";

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
    public Uni<List<Event>> latestAfter(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from events where session_id = $1 and tenant_id = $2"
                        + " and seq > $3 order by seq desc limit $4")
                .execute(Tuple.of(sessionId, tenant.value(), afterSeq, limit))
                .map(rows -> events(rows).reversed())
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<java.util.Optional<Event>> lastOfType(TenantId tenant, UUID sessionId, String type) {
        // Served by the partial index events_compactions for 'context.compacted'.
        return pool.preparedQuery("select " + COLUMNS + " from events where session_id = $1 and tenant_id = $2"
                        + " and type = $3 order by seq desc limit 1")
                .execute(Tuple.of(sessionId, tenant.value(), type))
                .map(rows -> events(rows).stream().findFirst())
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
