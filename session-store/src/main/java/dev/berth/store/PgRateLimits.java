package dev.berth.store;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.RateLimits;
import dev.berth.store.internal.DbErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** {@link RateLimits} on the reactive pg client: one call of berth_take_token (R__70_quotas.sql) per take. */
@ApplicationScoped
public class PgRateLimits implements RateLimits {
    static final String TAKE = "select berth_take_token($1, $2, $3) as wait";

    private final Pool pool;

    @Inject
    public PgRateLimits(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Duration> take(TenantId tenant, double perSecond, double burst) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(tenant.value(), perSecond, burst))
                .map(rows -> wait(rows.iterator().next().getDouble("wait")))
                .onFailure().transform(DbErrors::translate);
    }

    private static Duration wait(double seconds) {
        return seconds <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(seconds * 1e9));
    }
}
