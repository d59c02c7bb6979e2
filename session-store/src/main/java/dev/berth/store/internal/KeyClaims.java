package dev.berth.store.internal;

import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.InProgressException;
import dev.berth.runtime.error.KeyTakenException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Claims a request's idempotency key inside the transaction of its effect, so the key and the
 * effect commit together or not at all (ADR 0024). The SQL is {@code berth_claim_key} and
 * {@code berth_bind_key} (R__60); a claim is the first statement of its transaction, so a second
 * request with the same key waits there, before any effect, for the first one to end.
 */
public final class KeyClaims {
    public static final String CLAIM = "select berth_claim_key($1, $2, $3, $4, $5, $6, $7)";
    public static final String BIND = "select berth_bind_key($1, $2, $3)";
    private static final String NATIVE_CLAIM = "select berth_claim_key(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    private static final String NATIVE_BIND = "select berth_bind_key(?1, ?2, ?3)";
    /** When a client whose key is held by a request in flight should try again. */
    private static final Duration RETRY_IN_PROGRESS = Duration.ofSeconds(1);

    private KeyClaims() {
    }

    /** Claims the key (if any) for a request that creates {@code kind} with the id {@code resource} (or null: bound later). */
    public static Uni<Void> claim(SqlClient client, TenantId tenant, Optional<RequestKey> key, String kind, String resource) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(CLAIM).execute(claimParams(tenant, key.get(), kind, resource)).replaceWithVoid();
    }

    /** Names the resource of a key claimed without one. */
    public static Uni<Void> bind(SqlClient client, TenantId tenant, Optional<RequestKey> key, String resource) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(BIND).execute(Tuple.of(tenant.value(), key.get().value(), resource)).replaceWithVoid();
    }

    /** As {@link #claim(SqlClient, TenantId, Optional, String, String)}, in a Hibernate Reactive transaction. */
    public static Uni<Void> claim(Mutiny.Session session, TenantId tenant, Optional<RequestKey> key, String kind,
            String resource) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        RequestKey k = key.get();
        return session.createNativeQuery(NATIVE_CLAIM).setParameter(1, tenant.value()).setParameter(2, k.value())
                .setParameter(3, k.fingerprint()).setParameter(4, kind).setParameter(5, resource)
                .setParameter(6, k.ttl().toSeconds()).setParameter(7, waitMillis(k))
                .getSingleResult().replaceWithVoid();
    }

    /** As {@link #bind(SqlClient, TenantId, Optional, String)}, in a Hibernate Reactive transaction. */
    public static Uni<Void> bind(Mutiny.Session session, TenantId tenant, Optional<RequestKey> key, String resource) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery(NATIVE_BIND).setParameter(1, tenant.value()).setParameter(2, key.get().value())
                .setParameter(3, resource).getSingleResult().replaceWithVoid();
    }

    public static Tuple claimParams(TenantId tenant, RequestKey key, String kind, String resource) {
        return Tuple.tuple().addValue(tenant.value()).addValue(key.value()).addValue(key.fingerprint()).addValue(kind)
                .addValue(resource).addValue(key.ttl().toSeconds()).addValue(waitMillis(key));
    }

    public static int waitMillis(RequestKey key) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, key.inFlightWait().toMillis()));
    }

    /**
     * What a failed keyed write means: the key is already used (the API answers from it), or a
     * request with it is still in flight; anything else as {@link DbErrors#translate(Throwable)}.
     */
    public static Throwable translate(Throwable failure, Optional<RequestKey> key) {
        if (key.isPresent()) {
            // Hibernate Reactive wraps the pool's failure in a java.sql.SQLException with the same state.
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                String state = cause instanceof PgException pg ? pg.getSqlState()
                        : cause instanceof SQLException sql ? sql.getSQLState() : null;
                if ("BR010".equals(state)) {
                    return new KeyTakenException(key.get().value());
                }
                if ("55P03".equals(state)) {
                    return new InProgressException("a request with this Idempotency-Key is still in progress; retry later",
                            RETRY_IN_PROGRESS);
                }
            }
        }
        return DbErrors.translate(failure);
    }
}
