package dev.berth.deploy.lifecycle;

import dev.berth.deploy.observe.PoolSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides from successive pool readings whether the database pool is wedged: every connection
 * lent out, requests waiting, and not one connection given back for longer than
 * {@code stuckAfter}. A busy pool is exhausted often but keeps moving (connections come back
 * and go to the waiters), so it never counts; a pool whose connections have leaked stays
 * exhausted and still, and only a restart frees it. A database outage does not count either:
 * its connections close, so they are no longer in use.
 *
 * <p>Readings come from the liveness probe; a stall is measured from the first reading that saw
 * it, so it is reported at most one probe period late. Thread-safe.
 */
public final class PoolStallRule {
    private final Duration stuckAfter;
    private final Clock clock;
    private Instant stalledSince;
    private long releasedAtStall;

    public PoolStallRule(Duration stuckAfter, Clock clock) {
        if (stuckAfter == null || stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("berth.health.pool-stuck-after must be positive: " + stuckAfter);
        }
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    /** How long the pool has been still while exhausted, as of this reading (zero if it is not). */
    public synchronized Duration observe(PoolSample sample) {
        Instant now = clock.instant();
        if (!sample.exhausted()) {
            stalledSince = null;
            return Duration.ZERO;
        }
        if (stalledSince == null || sample.released() != releasedAtStall) {
            // Exhausted, but just now or with connections given back since the last reading: moving.
            stalledSince = now;
            releasedAtStall = sample.released();
        }
        return Duration.between(stalledSince, now);
    }

    /** Whether a stall of this length means the process can no longer serve. */
    public boolean wedged(Duration stalled) {
        return stalled.compareTo(stuckAfter) >= 0;
    }

    public Duration stuckAfter() {
        return stuckAfter;
    }
}
