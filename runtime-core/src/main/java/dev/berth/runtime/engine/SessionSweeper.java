package dev.berth.runtime.engine;

import dev.berth.runtime.memory.MemoryStore;
import dev.berth.runtime.port.IdempotencyKeys;
import dev.berth.runtime.run.RunStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Enforces retention: expires sessions whose time is up, with their unfinished runs, and
 * deletes memories past their expiry (both set per agent by its memory policy, or per request)
 * and idempotency keys past theirs (ADR 0024). Every process runs one: the
 * store skips rows another sweeper holds, so sweeps never block or double-count each other,
 * and no process is special.
 *
 * <p>Lifecycle: {@link #start()} with the engine, {@link #stop()} when it drains. Not thread
 * safe; the engine calls both under its own lock.
 */
final class SessionSweeper {
    private static final Logger LOG = Logger.getLogger(SessionSweeper.class);
    /** Sessions expired per statement; a backlog is worked off one batch per tick. */
    static final int BATCH = 100;

    private final RunStore runs;
    private final MemoryStore memories;
    private final IdempotencyKeys keys;
    private final Duration interval;
    private Cancellable ticks;

    SessionSweeper(RunStore runs, MemoryStore memories, IdempotencyKeys keys, Duration interval) {
        this.runs = runs;
        this.memories = memories;
        this.keys = keys;
        this.interval = interval;
    }

    void start() {
        ticks = Multi.createFrom().ticks().every(interval)
                .onOverflow().drop()
                // One sweep at a time: the next tick waits until this one is done.
                .onItem().transformToUniAndConcatenate(tick -> runs.expireSessions(BATCH)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Could not sweep expired sessions: %s", failure.toString());
                            return 0;
                        })
                        .invoke(expired -> {
                            if (expired > 0) {
                                LOG.infof("Expired %d sessions", expired);
                            }
                        })
                        .chain(() -> memories.deleteExpired(BATCH).onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Could not delete expired memories: %s", failure.toString());
                            return 0;
                        }).invoke(deleted -> {
                            if (deleted > 0) {
                                LOG.infof("Deleted %d expired memories", deleted);
                            }
                        }))
                        // Expired keys are already free (a claim takes them over); this only reclaims the rows.
                        .chain(() -> keys.deleteExpired(BATCH).onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Could not delete expired idempotency keys: %s", failure.toString());
                            return 0;
                        })))
                .subscribe().with(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("Deleted %d expired idempotency keys", deleted);
                    }
                });
    }

    void stop() {
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
    }
}
