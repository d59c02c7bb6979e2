package dev.berth.deploy.audit;

import dev.berth.runtime.port.AuditTrail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Applies {@code berth.audit.retention}: every {@code berth.audit.sweep-interval}, removes the rows
 * older than it through {@link AuditTrail#expire(Instant)}, the trail's only deletion path (ADR
 * 0034). Every process sweeps; two sweeps at once delete the same rows and one finds none left.
 */
@ApplicationScoped
public class AuditRetentionSweeper {
    private static final Logger LOG = Logger.getLogger(AuditRetentionSweeper.class);

    private final AuditTrail trail;
    private final AuditConfig config;
    private Cancellable ticks;

    @Inject
    public AuditRetentionSweeper(AuditTrail trail, AuditConfig config) {
        this.trail = trail;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        ticks = Multi.createFrom().ticks().every(config.sweepInterval())
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> trail.expire(Instant.now().minus(config.retention()))
                        .onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Could not remove audit rows past retention: %s", failure.toString());
                            return 0L;
                        }))
                .subscribe().with(removed -> {
                    if (removed > 0) {
                        LOG.infof("Removed %d audit rows older than %s", removed, config.retention());
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        if (ticks != null) {
            ticks.cancel();
        }
    }
}
