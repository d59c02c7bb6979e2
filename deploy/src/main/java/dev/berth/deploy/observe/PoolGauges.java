package dev.berth.deploy.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The reactive database pool's use under Berth's names: connections in use is the Vert.x
 * pool metric {@code sql.pool.active} (Quarkus's Micrometer binder for Vert.x), summed over
 * the application's SQL pools; the maximum is the configured pool size (berth.db.pool-size).
 * {@link #sample()} reads the same meters, with the waiters and the releases, for the liveness
 * check (PoolLiveness).
 */
@ApplicationScoped
public class PoolGauges {
    private final MeterRegistry registry;
    private final int maxSize;

    @Inject
    public PoolGauges(MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int maxSize) {
        this.registry = registry;
        this.maxSize = maxSize;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("berth.db.pool.in.use.connections", this, PoolGauges::inUse)
                .description("Database pool connections in use").register(registry);
        Gauge.builder("berth.db.pool.max.connections", () -> maxSize)
                .description("Database pool size").register(registry);
    }

    /** The pool's use now: connections in use, requests waiting for one, releases so far. */
    public PoolSample sample() {
        return new PoolSample((long) inUse(), (long) sum("sql.pool.queue.size"), (long) sum("sql.pool.completed"), maxSize);
    }

    private double inUse() {
        return sum("sql.pool.active");
    }

    private double sum(String name) {
        double sum = 0;
        for (Meter meter : registry.find(name).tag("pool.type", "sql").meters()) {
            for (Measurement measurement : meter.measure()) {
                sum += measurement.getValue();
            }
        }
        return sum;
    }
}
