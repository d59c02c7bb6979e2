package dev.berth.store;

import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AccessStore;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AccessStore} on the reactive pg client: the key lookup runs on every request, so it
 * is one indexed statement.
 */
@ApplicationScoped
public class PgAccessStore implements AccessStore {
    /** Any constant: serialises bootstrap across processes starting at once. */
    private static final long BOOTSTRAP_LOCK = 0x6265727468L;
    private static final String KEY_COLUMNS = "k.id, k.tenant_id, k.name, k.key_prefix, k.admin, k.created_at, k.revoked_at";

    private final Pool pool;

    @Inject
    public PgAccessStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Boolean> bootstrapIfEmpty(byte[] keyHash, String keyPrefix) {
        UUID tenant = UUID.randomUUID();
        return pool.withTransaction(conn -> conn.preparedQuery("select pg_advisory_xact_lock($1)")
                        .execute(Tuple.of(BOOTSTRAP_LOCK))
                        .chain(() -> conn.query("select exists (select 1 from api_keys) as present").execute())
                        .chain(rows -> {
                            if (rows.iterator().next().getBoolean("present")) {
                                return Uni.createFrom().item(false);
                            }
                            return conn.preparedQuery("insert into tenants (id, name, operator) values ($1, 'default', true)")
                                    .execute(Tuple.of(tenant))
                                    .chain(() -> conn.preparedQuery("insert into api_keys (id, tenant_id, name, key_hash,"
                                                    + " key_prefix, admin) values ($1, $2, 'bootstrap', $3, $4, true)")
                                            .execute(Tuple.of(UUID.randomUUID(), tenant,
                                                    io.vertx.core.buffer.Buffer.buffer(keyHash), keyPrefix)))
                                    .replaceWith(true);
                        }))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<ApiPrincipal>> authenticate(byte[] keyHash) {
        return pool.preparedQuery("select k.id, k.tenant_id, k.admin, t.operator from api_keys k"
                        + " join tenants t on t.id = k.tenant_id where k.key_hash = $1 and k.revoked_at is null")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(keyHash)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<ApiPrincipal>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ApiPrincipal(new TenantId(row.getUUID("tenant_id")), row.getUUID("id"),
                            row.getBoolean("admin"), row.getBoolean("operator")));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<ApiKeyInfo> createTenant(String name, byte[] adminKeyHash, String adminKeyPrefix, TenantId caller,
            Optional<RequestKey> key) {
        UUID id = UUID.randomUUID();
        // One transaction: a tenant is never left without its first admin key.
        return pool.withTransaction(conn -> KeyClaims.claim(conn, caller, key, "tenant", id.toString())
                        .chain(() -> conn.preparedQuery("insert into tenants (id, name) values ($1, $2)")
                                .execute(Tuple.of(id, name)))
                        .chain(() -> insertKey(conn, new TenantId(id), "admin", true, adminKeyHash, adminKeyPrefix)))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<ApiKeyInfo> createKey(TenantId tenant, String name, boolean admin, byte[] keyHash, String keyPrefix,
            Optional<RequestKey> key) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(conn -> KeyClaims.claim(conn, tenant, key, "api-key", id.toString())
                        .chain(() -> insertKey(conn, tenant, name, admin, keyHash, keyPrefix, id)))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    private static Uni<ApiKeyInfo> insertKey(SqlClient conn, TenantId tenant, String name, boolean admin, byte[] keyHash,
            String keyPrefix) {
        return insertKey(conn, tenant, name, admin, keyHash, keyPrefix, UUID.randomUUID());
    }

    private static Uni<ApiKeyInfo> insertKey(SqlClient conn, TenantId tenant, String name, boolean admin, byte[] keyHash,
            String keyPrefix, UUID id) {
        return conn.preparedQuery("insert into api_keys as k (id, tenant_id, name, key_hash, key_prefix, admin)"
                        + " values ($1, $2, $3, $4, $5, $6) returning " + KEY_COLUMNS)
                .execute(Tuple.tuple().addValue(id).addValue(tenant.value()).addValue(name)
                        .addValue(io.vertx.core.buffer.Buffer.buffer(keyHash)).addValue(keyPrefix).addValue(admin))
                .map(rows -> keyInfo(rows.iterator().next()));
    }

    @Override
    public Uni<List<ApiKeyInfo>> listKeys(TenantId tenant) {
        return pool.preparedQuery("select " + KEY_COLUMNS + " from api_keys k where k.tenant_id = $1 order by k.created_at")
                .execute(Tuple.of(tenant.value()))
                .map(rows -> {
                    List<ApiKeyInfo> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(keyInfo(row)));
                    return keys;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> revokeKey(TenantId tenant, UUID keyId) {
        return pool.preparedQuery("update api_keys set revoked_at = now()"
                        + " where id = $1 and tenant_id = $2 and revoked_at is null")
                .execute(Tuple.of(keyId, tenant.value()))
                .map(rows -> rows.rowCount() > 0)
                .onFailure().transform(DbErrors::translate);
    }

    private static ApiKeyInfo keyInfo(Row row) {
        return new ApiKeyInfo(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("name"),
                row.getString("key_prefix"), row.getBoolean("admin"), Rows.instant(row, "created_at"),
                Rows.instant(row, "revoked_at"));
    }
}
