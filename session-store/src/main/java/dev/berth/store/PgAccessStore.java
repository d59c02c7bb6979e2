package dev.berth.store;

import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.NewApiKey;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Revocation;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AccessStore;
import dev.berth.runtime.port.ServerSecrets;
import dev.berth.store.internal.CountQuotaCheck;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link AccessStore} on the reactive pg client: the key lookup runs on every request (the
 * KeyCache aside), so it is one indexed statement.
 */
@ApplicationScoped
public class PgAccessStore implements AccessStore, ServerSecrets {
    /** Any constant: serialises bootstrap across processes starting at once. */
    private static final long BOOTSTRAP_LOCK = 0x6265727468L;

    private final Pool pool;
    private final QuotaDefaults quotas;

    @Inject
    public PgAccessStore(Pool pool, QuotaDefaults quotas) {
        this.pool = pool;
        this.quotas = quotas;
    }

    @Override
    public Uni<Boolean> bootstrapIfEmpty(byte[] keyHash) {
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
                                    .chain(() -> conn.preparedQuery(AccessSql.INSERT_KEY).execute(keyTuple(new NewApiKey(
                                            UUID.randomUUID(), new TenantId(tenant), "bootstrap", Set.of(Role.ADMIN),
                                            null, null, keyHash))))
                                    .replaceWith(true);
                        }))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<ApiPrincipal>> authenticate(byte[] keyHash, byte[] legacyHash) {
        return pool.preparedQuery(AccessSql.AUTHENTICATE)
                .execute(Tuple.of(Buffer.buffer(keyHash), Buffer.buffer(legacyHash)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<ApiPrincipal>empty());
                    }
                    Row row = rows.iterator().next();
                    ApiPrincipal principal = new ApiPrincipal(new TenantId(row.getUUID("tenant_id")), row.getUUID("id"),
                            roles(row), row.getString("actor_id"), row.getBoolean("operator"), Rows.instant(row, "expires_at"));
                    if (!"sha256".equals(row.getString("hash_kind"))) {
                        return Uni.createFrom().item(Optional.of(principal));
                    }
                    // A key of before ADR 0028: from now on, only its keyed hash finds it.
                    return pool.preparedQuery(AccessSql.REHASH).execute(Tuple.of(principal.keyId(), Buffer.buffer(keyHash)))
                            .replaceWith(Optional.of(principal));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<Boolean>> tenantOperator(TenantId tenant) {
        return pool.preparedQuery(AccessSql.TENANT_OPERATOR).execute(Tuple.of(tenant.value()))
                .map(rows -> rows.size() == 0 ? Optional.<Boolean>empty()
                        : Optional.of(rows.iterator().next().getBoolean("operator")))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<ApiKeyInfo> createTenant(String name, byte[] adminKeyHash, TenantId caller, Optional<RequestKey> key) {
        UUID id = UUID.randomUUID();
        NewApiKey admin = new NewApiKey(UUID.randomUUID(), new TenantId(id), "admin", Set.of(Role.ADMIN), null, null,
                adminKeyHash);
        // One transaction: a tenant is never left without its first admin key.
        return pool.withTransaction(conn -> KeyClaims.claim(conn, caller, key, "tenant", id.toString())
                        .chain(() -> conn.preparedQuery("insert into tenants (id, name) values ($1, $2)")
                                .execute(Tuple.of(id, name)))
                        .chain(() -> conn.preparedQuery(AccessSql.INSERT_KEY).execute(keyTuple(admin))))
                .map(rows -> keyInfo(rows.iterator().next()))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<ApiKeyInfo> createKey(NewApiKey newKey, Optional<RequestKey> key) {
        return pool.withTransaction(conn -> KeyClaims.claim(conn, newKey.tenant(), key, "api-key", newKey.id().toString())
                        .chain(() -> conn.preparedQuery(AccessSql.INSERT_KEY).execute(keyTuple(newKey)))
                        .call(() -> CountQuotaCheck.check(conn, newKey.tenant(), quotas, Quota.API_KEYS, 1)))
                .map(rows -> keyInfo(rows.iterator().next()))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<Page<ApiKeyInfo>> listKeys(TenantId tenant, String cursor, int limit) {
        PanacheSessionStore.Cursor after = cursor == null ? null : PanacheSessionStore.Cursor.decode(cursor);
        return pool.preparedQuery(AccessSql.LIST_KEYS)
                .execute(Tuple.tuple().addValue(tenant.value())
                        .addValue(after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC))
                        .addValue(after == null ? null : after.id()).addValue(limit + 1))
                .map(rows -> {
                    List<ApiKeyInfo> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(keyInfo(row)));
                    List<ApiKeyInfo> page = keys.stream().limit(limit).toList();
                    String next = keys.size() > limit
                            ? new PanacheSessionStore.Cursor(page.getLast().createdAt(), page.getLast().id()).encode()
                            : null;
                    return new Page<>(page, next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Revocation> revokeKey(TenantId tenant, UUID keyId) {
        return pool.preparedQuery(AccessSql.REVOKE).execute(Tuple.of(keyId, tenant.value()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getBoolean("revoked") ? Revocation.REVOKED
                            : row.getBoolean("found") ? Revocation.LAST_ADMIN : Revocation.UNKNOWN;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<byte[]> secret(String name, byte[] generated) {
        // Whoever inserts first wins; every process then reads the same secret.
        return pool.preparedQuery(AccessSql.KEEP_SECRET).execute(Tuple.of(name, Buffer.buffer(generated)))
                .chain(() -> pool.preparedQuery(AccessSql.SECRET).execute(Tuple.of(name)))
                .map(rows -> rows.iterator().next().getBuffer("secret").getBytes())
                .onFailure().transform(DbErrors::translate);
    }

    private static Tuple keyTuple(NewApiKey key) {
        return Tuple.tuple().addValue(key.id()).addValue(key.tenant().value()).addValue(key.name())
                .addValue(Buffer.buffer(key.keyHash()))
                .addArrayOfString(key.roles().stream().map(Role::wire).sorted().toArray(String[]::new))
                .addValue(key.actorId())
                .addValue(key.expiresAt() == null ? null : key.expiresAt().atOffset(ZoneOffset.UTC));
    }

    private static Set<Role> roles(Row row) {
        return Arrays.stream(row.getArrayOfStrings("roles"))
                .map(wire -> Role.parse(wire).orElseThrow(() -> new IllegalStateException("unknown role in api_keys: " + wire)))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static ApiKeyInfo keyInfo(Row row) {
        return new ApiKeyInfo(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("name"),
                row.getString("key_prefix"), roles(row), row.getString("actor_id"), Rows.instant(row, "created_at"),
                Rows.instant(row, "expires_at"), Rows.instant(row, "revoked_at"));
    }
}
