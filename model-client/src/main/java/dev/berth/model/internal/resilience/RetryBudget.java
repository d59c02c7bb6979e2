package dev.berth.model.internal.resilience;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits retries to a share of the traffic so that an outage does not multiply the load on a
 * struggling provider: every call deposits {@code ratio} of a retry, every second deposits
 * {@code minPerSecond}, and each retry withdraws one. Thread safe; the lock is held for a few
 * arithmetic operations only.
 */
public final class RetryBudget {
    private final double ratio;
    private final double minPerSecond;
    private final double capacity;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long lastRefill;

    public RetryBudget(double ratio, int minPerSecond, Ticker ticker) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        // a burst of up to ten seconds' worth of minimum retries, or 100 calls' worth of ratio
        this.capacity = Math.max(1, Math.max(minPerSecond * 10.0, ratio * 100));
        this.ticker = ticker;
        this.tokens = capacity;
        this.lastRefill = ticker.nanos();
    }

    /** Records a call (not a retry). */
    public void onCall() {
        lock.lock();
        try {
            refill();
            tokens = Math.min(capacity, tokens + ratio);
        } finally {
            lock.unlock();
        }
    }

    /** Takes one retry from the budget; false when it is spent. */
    public boolean tryRetry() {
        lock.lock();
        try {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = ticker.nanos();
        tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * minPerSecond);
        lastRefill = now;
    }
}
