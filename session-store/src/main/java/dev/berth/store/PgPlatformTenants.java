package dev.berth.store;

import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.PlatformChange;
import dev.berth.runtime.domain.PlatformTenant;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.PlatformTenants;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link PlatformTenants} on the reactive pg client. Each change locks the tenant's row, refuses
 * the operator tenant, changes, and appends its audit row, in one transaction.
 */
@ApplicationScoped
public class PgPlatformTenants implements PlatformTenants {
    private static final String LIST = """
            select id, name, operator, created_at, suspended_at from tenants
             where $1::timestamptz is null or (created_at, id) > ($1, $2)
             order by created_at, id limit $3""";
    private static final String LOCK = "select operator from tenants where id = $1 for update";
    /**
     * The running runs lose their lease and their epoch moves on: their owner's heartbeat and step
     * commit are fenced out, so they stop within a heartbeat and commit nothing more. The claim skips
     * a suspended tenant's runs (RunSql.CLAIM); after resume they are taken over like any run whose
     * lease expired, without counting a failed attempt (no owner).
     */
    private static final String SUSPEND = """
            with suspended as (
                update tenants set suspended_at = coalesce(suspended_at, now()) where id = $1 returning id)
            update runs r set lease_owner = null, lease_epoch = r.lease_epoch + 1,
                   lease_expires_at = now() - interval '1 millisecond'
              from suspended s where r.tenant_id = s.id and r.status = 'running'""";
    private static final String RESUME = """
            with resumed as (update tenants set suspended_at = null where id = $1 returning id)
            select pg_notify('berth_work', '') from resumed""";
    /**
     * Everything of the tenant goes with it: every table's tenant_id cascades from tenants. Its
     * memories go first, in a statement of their own: their trigger bumps memory_namespaces, whose
     * rows the tenant's cascade must then find and remove (in one statement it would not see them).
     */
    private static final List<String> DELETE = List.of("delete from memories where tenant_id = $1",
            "delete from tenants where id = $1");
    private static final String SUSPENDED = "select id from tenants where suspended_at is not null";

    private final Pool pool;

    @Inject
    public PgPlatformTenants(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Page<PlatformTenant>> list(String cursor, int limit) {
        PanacheSessionStore.Cursor after = cursor == null ? null : PanacheSessionStore.Cursor.decode(cursor);
        return pool.preparedQuery(LIST).execute(Tuple.tuple()
                        .addValue(after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC))
                        .addValue(after == null ? null : after.id()).addValue(limit + 1))
                .map(rows -> {
                    List<PlatformTenant> tenants = new ArrayList<>();
                    rows.forEach(row -> tenants.add(tenant(row)));
                    List<PlatformTenant> page = tenants.stream().limit(limit).toList();
                    String next = tenants.size() > limit
                            ? new PanacheSessionStore.Cursor(page.getLast().createdAt(), page.getLast().id().value()).encode()
                            : null;
                    return new Page<>(page, next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<PlatformChange> suspend(TenantId tenant, AuditEntry audit) {
        return change(tenant, List.of(SUSPEND), audit);
    }

    @Override
    public Uni<PlatformChange> resume(TenantId tenant, AuditEntry audit) {
        return change(tenant, List.of(RESUME), audit);
    }

    @Override
    public Uni<PlatformChange> delete(TenantId tenant, AuditEntry audit) {
        return change(tenant, DELETE, audit);
    }

    @Override
    public Uni<Set<TenantId>> suspended() {
        return pool.query(SUSPENDED).execute().map(rows -> {
            Set<TenantId> ids = new HashSet<>();
            rows.forEach(row -> ids.add(new TenantId(row.getUUID("id"))));
            return Set.copyOf(ids);
        }).onFailure().transform(DbErrors::translate);
    }

    private Uni<PlatformChange> change(TenantId tenant, List<String> statements, AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(tenant.value()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(PlatformChange.UNKNOWN);
                            }
                            if (rows.iterator().next().getBoolean("operator")) {
                                return Uni.createFrom().item(PlatformChange.PLATFORM_OWN);
                            }
                            return apply(conn, tenant, statements, audit);
                        }))
                .onFailure().transform(DbErrors::translate);
    }

    private static Uni<PlatformChange> apply(SqlConnection conn, TenantId tenant, List<String> statements,
            AuditEntry audit) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (String statement : statements) {
            done = done.chain(() -> conn.preparedQuery(statement).execute(Tuple.of(tenant.value())).replaceWithVoid());
        }
        return done.chain(() -> PgAuditTrail.append(conn, audit)).replaceWith(PlatformChange.DONE);
    }

    private static PlatformTenant tenant(Row row) {
        return new PlatformTenant(new TenantId(row.getUUID("id")), row.getString("name"), row.getBoolean("operator"),
                Rows.instant(row, "created_at"), Rows.instant(row, "suspended_at"));
    }
}
