package dev.berth.store.internal;

import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.QuotaExceededException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Checks a count quota inside the transaction of the creation it limits, after its insert
 * (ADR 0031): {@code berth_check_quota} (R__75) reads the tenant's usage row, which the insert's
 * trigger has just shifted and so locked until the transaction ends. Over the limit, it raises
 * {@code BR020} and the creation (its idempotency key with it) rolls back.
 */
public final class CountQuotaCheck {
    static final String STATE = "BR020";
    private static final String CHECK = "select berth_check_quota($1, $2, $3, $4)";
    private static final String NATIVE_CHECK = "select berth_check_quota(?1, ?2, ?3, ?4)";
    private static final Pattern DETAIL = Pattern.compile("quota=([a-z-]+) limit=(\\d+) used=(\\d+)");

    private CountQuotaCheck() {
    }

    /** Refuses (BR020) when the tenant now holds more of {@code quota} than its limit; {@code adding}: what this write added. */
    public static Uni<Void> check(SqlClient client, TenantId tenant, QuotaDefaults defaults, Quota quota, long adding) {
        return client.preparedQuery(CHECK).execute(Tuple.of(tenant.value(), quota.wire(), defaults.of(quota), adding))
                .replaceWithVoid();
    }

    /** As {@link #check(SqlClient, TenantId, QuotaDefaults, Quota, long)}, in a Hibernate Reactive transaction (after a flush). */
    public static Uni<Void> check(Mutiny.Session session, TenantId tenant, QuotaDefaults defaults, Quota quota, long adding) {
        return session.createNativeQuery(NATIVE_CHECK).setParameter(1, tenant.value()).setParameter(2, quota.wire())
                .setParameter(3, defaults.of(quota)).setParameter(4, adding).getSingleResult().replaceWithVoid();
    }

    /** The quota a failure reports as exceeded, from the pool's error or Hibernate's wrapping of it. */
    static Optional<QuotaExceededException> exceeded(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String state = cause instanceof PgException pg ? pg.getSqlState()
                    : cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (STATE.equals(state)) {
                Matcher detail = DETAIL.matcher(String.valueOf(cause.getMessage()));
                if (detail.find()) {
                    return Optional.of(new QuotaExceededException(quota(detail.group(1)),
                            Long.parseLong(detail.group(2)), Long.parseLong(detail.group(3))));
                }
            }
        }
        return Optional.empty();
    }

    private static Quota quota(String wire) {
        for (Quota quota : Quota.values()) {
            if (quota.wire().equals(wire)) {
                return quota;
            }
        }
        throw new IllegalStateException("berth_check_quota named an unknown quota: " + wire);
    }
}
