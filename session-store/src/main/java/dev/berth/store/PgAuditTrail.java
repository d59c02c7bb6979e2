package dev.berth.store;

import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditOutcome;
import dev.berth.runtime.domain.AuditQuery;
import dev.berth.runtime.domain.AuditRecord;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.port.AuditTrail;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** {@link AuditTrail} on the reactive pg client: one statement per call. */
@ApplicationScoped
public class PgAuditTrail implements AuditTrail {
    private final Pool pool;

    @Inject
    public PgAuditTrail(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Void> record(AuditEntry entry) {
        return append(pool, entry).onFailure().transform(DbErrors::translate);
    }

    /** Appends the row on {@code client}: a store's own connection, so that it joins the store's transaction. */
    static Uni<Void> append(SqlClient client, AuditEntry entry) {
        return client.preparedQuery(AuditSql.INSERT).execute(Tuple.tuple()
                        .addValue(entry.tenant() == null ? null : entry.tenant().value())
                        .addValue(entry.principal()).addValue(entry.action().wire())
                        .addValue(entry.target().type()).addValue(entry.target().id())
                        .addValue(entry.requestId()).addValue(entry.outcome().wire())
                        .addValue(Buffer.buffer(entry.digest())))
                .replaceWithVoid();
    }

    @Override
    public Uni<Page<AuditRecord>> query(AuditQuery query) {
        Long before = query.cursor() == null ? null : cursorId(query.cursor());
        return pool.preparedQuery(AuditSql.PAGE).execute(Tuple.tuple()
                        .addValue(query.tenant().value()).addValue(before)
                        .addValue(query.action() == null ? null : query.action().wire())
                        .addValue(query.principal()).addValue(query.targetType()).addValue(query.targetId())
                        .addValue(query.from() == null ? null : query.from().atOffset(ZoneOffset.UTC))
                        .addValue(query.to() == null ? null : query.to().atOffset(ZoneOffset.UTC))
                        .addValue(query.limit() + 1))
                .map(rows -> {
                    List<AuditRecord> records = new ArrayList<>();
                    rows.forEach(row -> records.add(record(row)));
                    List<AuditRecord> page = records.stream().limit(query.limit()).toList();
                    String next = records.size() > query.limit() ? Long.toString(page.getLast().id()) : null;
                    return new Page<>(page, next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Long> expire(Instant before) {
        return pool.preparedQuery(AuditSql.EXPIRE).execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("removed"))
                .onFailure().transform(DbErrors::translate);
    }

    /** The cursor is the last id of the previous page; anything else is the caller's error. */
    private static long cursorId(String cursor) {
        try {
            long id = Long.parseLong(cursor);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ValidationException.field("cursor", "is not a cursor returned by this API");
    }

    private static AuditRecord record(Row row) {
        UUID tenant = row.getUUID("tenant_id");
        AuditEntry entry = new AuditEntry(tenant == null ? null : new TenantId(tenant), row.getString("principal"),
                AuditAction.parse(row.getString("action"))
                        .orElseThrow(() -> new IllegalStateException("unknown action in audit_log")),
                new AuditTarget(row.getString("target_type"), row.getString("target_id")), row.getString("request_id"),
                AuditOutcome.valueOf(row.getString("outcome").toUpperCase(Locale.ROOT)),
                row.getBuffer("digest").getBytes());
        return new AuditRecord(row.getLong("id"), Rows.instant(row, "at"), entry);
    }
}
