package dev.berth.store;

import dev.berth.runtime.domain.KeyedRequest;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.IdempotencyKeys;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@link IdempotencyKeys} on the reactive pg client. The keys are written by the creating store
 * calls themselves ({@link dev.berth.store.internal.KeyClaims}); this reads and sweeps them.
 */
@ApplicationScoped
public class PgIdempotencyKeys implements IdempotencyKeys {
    static final String FIND = """
            select key, fingerprint, kind, resource, created_at from idempotency_keys
             where tenant_id = $1 and key = $2 and expires_at > now()""";
    static final String DELETE_EXPIRED = """
            with due as (
                select tenant_id, key from idempotency_keys where expires_at <= now()
                 order by expires_at limit $1 for update skip locked)
            delete from idempotency_keys k using due where k.tenant_id = due.tenant_id and k.key = due.key""";

    private final Pool pool;

    @Inject
    public PgIdempotencyKeys(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<KeyedRequest>> find(TenantId tenant, String key) {
        return pool.preparedQuery(FIND).execute(Tuple.of(tenant.value(), key))
                .map(rows -> rows.size() == 0 ? Optional.<KeyedRequest>empty() : Optional.of(keyed(rows.iterator().next())))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Integer> deleteExpired(int limit) {
        return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(limit))
                .map(RowSet::rowCount)
                .onFailure().transform(DbErrors::translate);
    }

    private static KeyedRequest keyed(Row row) {
        return new KeyedRequest(row.getString("key"), row.getString("fingerprint"), row.getString("kind"),
                row.getString("resource"), Rows.instant(row, "created_at"));
    }
}
