package dev.berth.runtime.memory;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.memory.MemoryJobStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Works off extraction jobs on every process: claims one due job at a time (rows other
 * processes hold are skipped), extracts, and marks it done; a failure puts it back with an
 * exponential back-off until the attempts are used up. A job whose process dies is claimed
 * again when its lease expires, so jobs survive restarts.
 *
 * <p>Lifecycle: {@link #start(String)} once the database is migrated, {@link #stop()} on
 * shutdown. Thread safe.
 */
@ApplicationScoped
public class ExtractionWorker {
    private static final Logger LOG = Logger.getLogger(ExtractionWorker.class);

    private final MemoryJobStore jobs;
    private final MemoryExtractor extractor;
    private final MemoryConfig config;
    private final EngineConfig engineConfig;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile String owner;
    private Cancellable ticks;

    @Inject
    public ExtractionWorker(MemoryJobStore jobs, MemoryExtractor extractor, MemoryConfig config,
            EngineConfig engineConfig) {
        this.jobs = jobs;
        this.extractor = extractor;
        this.config = config;
        this.engineConfig = engineConfig;
    }

    public synchronized void start(String ownerId) {
        if (!config.extractionEnabled() || !engineConfig.enabled() || ticks != null) {
            return;
        }
        owner = ownerId + "/memory-" + UUID.randomUUID().toString().substring(0, 4);
        ticks = Multi.createFrom().ticks().every(config.jobPollInterval()).onOverflow().drop()
                .subscribe().with(tick -> drain());
    }

    public synchronized void stop() {
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
    }

    /** Claims and runs jobs until none is due; one at a time per process, reentrant calls coalesce. */
    void drain() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        jobs.claimNext(owner, config.jobLeaseTtl())
                .chain(claimed -> claimed.map(job -> run(job).replaceWith(true)).orElse(Uni.createFrom().item(false)))
                .subscribe().with(more -> {
                    busy.set(false);
                    if (more && ticks != null) {
                        drain();
                    }
                }, failure -> {
                    busy.set(false);
                    LOG.debugf("Could not claim extraction jobs: %s", failure.toString());
                });
    }

    private Uni<Void> run(MemoryJob job) {
        return extractor.extract(job)
                .ifNoItem().after(config.jobLeaseTtl()).fail()
                .chain(stored -> {
                    LOG.debugf("Extraction job %s stored %d memories", job.id(), stored);
                    return jobs.complete(job);
                })
                .onFailure().recoverWithUni(failure -> {
                    boolean giveUp = job.attempts() >= config.jobMaxAttempts();
                    Duration delay = config.jobBackoff().multipliedBy(1L << Math.min(16, job.attempts() - 1));
                    if (giveUp) {
                        LOG.warnf("Extraction job %s failed %d times; giving up: %s", job.id(), job.attempts(),
                                failure.toString());
                    } else {
                        LOG.infof("Extraction job %s failed (attempt %d), retrying in %s: %s", job.id(),
                                job.attempts(), delay, failure.toString());
                    }
                    String message = String.valueOf(failure.getMessage());
                    return jobs.retry(job, delay, message.length() > 500 ? message.substring(0, 500) : message, giveUp);
                });
    }
}
