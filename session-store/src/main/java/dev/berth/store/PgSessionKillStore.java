package dev.berth.store;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.SessionKillStore;
import dev.berth.store.internal.DbErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** {@link SessionKillStore} on the reactive pg client, one statement each (R__90_session_kill.sql). */
@ApplicationScoped
public class PgSessionKillStore implements SessionKillStore {
    static final String KILL = "select id from berth_kill_session($1, $2, $3)";
    static final String REOPEN = """
            update sessions set killed_at = null, killed_by = null,
                   updated_at = case when killed_at is null then updated_at else now() end
             where id = $1 and tenant_id = $2 returning id""";

    private final Pool pool;

    @Inject
    public PgSessionKillStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Boolean> kill(TenantId tenant, UUID session, String by) {
        return pool.preparedQuery(KILL).execute(Tuple.of(session, tenant.value(), by))
                .map(rows -> rows.size() > 0)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> reopen(TenantId tenant, UUID session) {
        return pool.preparedQuery(REOPEN).execute(Tuple.of(session, tenant.value()))
                .map(rows -> rows.size() > 0)
                .onFailure().transform(DbErrors::translate);
    }
}
