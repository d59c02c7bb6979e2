package dev.berth.deploy.lifecycle;

import dev.berth.deploy.observe.PoolGauges;
import dev.berth.deploy.observe.PoolSample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when the database pool has been wedged for {@code berth.health.pool-stuck-after}
 * (see {@link PoolStallRule}): a process whose connections have all leaked answers every
 * request with a 503 after a long wait and claims no runs, and only a restart recovers it.
 * It never asks the database anything, so a database outage leaves liveness up (restarting
 * every pod would not bring the database back).
 */
@Liveness
@ApplicationScoped
public class PoolLiveness implements HealthCheck {
    private final PoolGauges pool;
    private final PoolStallRule rule;

    @Inject
    public PoolLiveness(PoolGauges pool,
            @ConfigProperty(name = "berth.health.pool-stuck-after", defaultValue = "60s") Duration stuckAfter) {
        this.pool = pool;
        this.rule = new PoolStallRule(stuckAfter, Clock.systemUTC());
    }

    @Override
    public HealthCheckResponse call() {
        PoolSample sample = pool.sample();
        Duration stalled = rule.observe(sample);
        return HealthCheckResponse.named("berth-db-pool")
                .status(!rule.wedged(stalled))
                .withData("inUse", sample.inUse())
                .withData("waiting", sample.waiting())
                .withData("max", sample.max())
                .withData("stalledSeconds", stalled.toSeconds())
                .withData("stuckAfterSeconds", rule.stuckAfter().toSeconds())
                .build();
    }
}
