package dev.berth.deploy.observe;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.engine.RunEngine;
import dev.berth.runtime.run.RunBacklog;
import dev.berth.runtime.run.RunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gauges: the runs waiting and running in the database and the age of the oldest queued one
 * (read every {@code berth.metrics.backlog-refresh}, not on each scrape, since every pod
 * reports them), and this pod's engine capacity. Database pool gauges are in {@link PoolGauges}.
 */
@ApplicationScoped
public class RuntimeGauges {
    private static final Logger LOG = Logger.getLogger(RuntimeGauges.class);

    private final MeterRegistry registry;
    private final RunStore runs;
    private final RunEngine engine;
    private final EngineConfig engineConfig;
    private final Duration refresh;
    private final AtomicReference<RunBacklog> backlog = new AtomicReference<>(new RunBacklog(0, 0, Duration.ZERO));
    private Cancellable ticks;

    @Inject
    public RuntimeGauges(MeterRegistry registry, RunStore runs, RunEngine engine, EngineConfig engineConfig,
            @ConfigProperty(name = "berth.metrics.backlog-refresh", defaultValue = "15s") Duration refresh) {
        this.registry = registry;
        this.runs = runs;
        this.engine = engine;
        this.engineConfig = engineConfig;
        this.refresh = refresh;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("berth.runs", backlog, b -> b.get().queued()).tag("status", "queued")
                .description("Runs in the database by status").register(registry);
        Gauge.builder("berth.runs", backlog, b -> b.get().running()).tag("status", "running")
                .description("Runs in the database by status").register(registry);
        Gauge.builder("berth.queue.oldest.age", backlog, b -> b.get().oldestQueuedAge().toMillis() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest queued run").register(registry);
        Gauge.builder("berth.engine.active.runs", engine, RunEngine::activeRuns)
                .description("Runs this pod executes now").register(registry);
        Gauge.builder("berth.engine.max.concurrent.runs", engineConfig, EngineConfig::maxConcurrentRuns)
                .description("Runs this pod executes at most").register(registry);
        refresh();
        ticks = Multi.createFrom().ticks().every(refresh).onOverflow().drop()
                .subscribe().with(tick -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ticks != null) {
            ticks.cancel();
        }
    }

    private void refresh() {
        runs.backlog().subscribe().with(backlog::set,
                failure -> LOG.debugf("Could not read the run backlog for metrics: %s", failure.toString()));
    }
}
