package dev.berth.store;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * What stands in for notifications when the change feed cannot LISTEN (only a transaction pooler
 * reaches the database, ADR 0026): every interval, one statement reads the newest event sequence
 * of the sessions someone follows and wakes those with new events; the waiters of runs are woken
 * (each reads its run again) and the engine looks for claimable runs. A tick still busy skips the
 * next one, so a slow database gets no pile of statements.
 */
final class PolledChanges {
    private static final Logger LOG = Logger.getLogger(PolledChanges.class);
    /** The newest sequence of each followed session: a hint only, each waiter then reads its own tenant's events. */
    static final String LAST_SEQS = "select id, last_seq from sessions where id = any($1::uuid[])";

    private final Vertx vertx;
    private final Pool pool;
    private final Duration interval;
    private final Map<UUID, List<PgChangeFeed.Waiter>> sessionWaiters;
    private final Map<UUID, List<PgChangeFeed.Waiter>> runWaiters;
    private final List<Runnable> workListeners;
    private final AtomicBoolean busy = new AtomicBoolean();
    private long timer = -1;

    PolledChanges(Vertx vertx, Pool pool, Duration interval, Map<UUID, List<PgChangeFeed.Waiter>> sessionWaiters,
            Map<UUID, List<PgChangeFeed.Waiter>> runWaiters, List<Runnable> workListeners) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("berth.db.poll-interval must be positive, not " + interval);
        }
        this.vertx = vertx;
        this.pool = pool;
        this.interval = interval;
        this.sessionWaiters = sessionWaiters;
        this.runWaiters = runWaiters;
        this.workListeners = workListeners;
    }

    void start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        PgChangeFeed.wakeAll(runWaiters);
        workListeners.forEach(Runnable::run);
        UUID[] followed = sessionWaiters.keySet().toArray(UUID[]::new);
        if (followed.length == 0 || !busy.compareAndSet(false, true)) {
            return;
        }
        pool.preparedQuery(LAST_SEQS).execute(Tuple.of(followed))
                .eventually(() -> busy.set(false))
                .subscribe().with(rows -> rows.forEach(this::wakeBelow),
                        failure -> LOG.debugf("Could not poll for new events: %s", failure.toString()));
    }

    private void wakeBelow(Row row) {
        long lastSeq = row.getLong("last_seq");
        List<PgChangeFeed.Waiter> waiting = sessionWaiters.get(row.getUUID("id"));
        if (waiting != null) {
            waiting.stream().filter(waiter -> waiter.afterSeq() < lastSeq).forEach(waiter -> waiter.wake().run());
        }
    }
}
