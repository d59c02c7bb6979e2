package dev.berth.deploy.lifecycle;

import dev.berth.deploy.auth.ApiKeys;
import dev.berth.deploy.auth.KeyHasher;
import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.engine.RunEngine;
import dev.berth.runtime.memory.ExtractionWorker;
import dev.berth.runtime.port.AccessStore;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Start: the first admin key on an empty database, then the run engine. Stop: drain, so
 * other processes resume this one's runs at once instead of after the lease TTL.
 */
@ApplicationScoped
public class Lifecycle {
    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    private final AccessStore access;
    private final RunEngine engine;
    private final ExtractionWorker extraction;
    private final EngineConfig engineConfig;
    private final Optional<String> bootstrapKey;
    private final KeyHasher hasher;
    private volatile boolean draining;
    private Uni<Void> drained;

    @Inject
    public Lifecycle(AccessStore access, RunEngine engine, ExtractionWorker extraction, EngineConfig engineConfig,
            @ConfigProperty(name = "berth.bootstrap-key") Optional<String> bootstrapKey, KeyHasher hasher) {
        this.hasher = hasher;
        this.access = access;
        this.engine = engine;
        this.extraction = extraction;
        this.engineConfig = engineConfig;
        this.bootstrapKey = bootstrapKey;
    }

    void onStart(@Observes StartupEvent event) {
        String key = bootstrapKey.filter(k -> !k.isBlank()).orElseGet(ApiKeys::generate);
        hasher.load();
        boolean created = access.bootstrapIfEmpty(hasher.hash(key))
                .await().atMost(Duration.ofSeconds(30));
        if (created && bootstrapKey.isEmpty()) {
            // Shown once: only its hash is stored.
            LOG.infof("%n%n  First start: created tenant 'default' and its admin API key (shown only now):%n%n"
                    + "    %s%n%n  Use it as: Authorization: Bearer <key>%n", key);
        } else if (created) {
            LOG.info("First start: created tenant 'default' with the admin key from BERTH_BOOTSTRAP_KEY");
        }
        engine.start();
        extraction.start(engine.ownerId());
    }

    /**
     * First phase of a SIGTERM (the shutdown delay, while HTTP still serves): readiness goes
     * down so traffic moves away, and the engine stops claiming and hands its runs over at
     * their next step boundary.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        beginDrain();
    }

    void onStop(@Observes ShutdownEvent event) {
        beginDrain().await().atMost(engineConfig.drainGrace().plusSeconds(5));
    }

    private synchronized Uni<Void> beginDrain() {
        if (drained == null) {
            draining = true;
            // An extraction in flight may be cut short: its job's lease expires and another process redoes it.
            extraction.stop();
            LOG.info("Draining: readiness is down, no new runs are claimed, running ones are released to other pods");
            // Memoized and subscribed now, so the drain proceeds while the shutdown delay runs.
            drained = engine.drain().memoize().indefinitely();
            drained.subscribe().with(ignored -> { }, failure -> LOG.warnf("Drain failed: %s", failure.toString()));
        }
        return drained;
    }

    public boolean draining() {
        return draining;
    }
}
