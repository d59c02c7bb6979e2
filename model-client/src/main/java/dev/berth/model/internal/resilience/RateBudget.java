package dev.berth.model.internal.resilience;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client-side requests-per-minute and tokens-per-minute budget of one deployment, as two
 * token buckets refilled continuously (limit per 60 s). Checking before sending keeps the
 * client from provoking 429s it could foresee, and lets it fail over at once instead.
 * Thread safe.
 */
public final class RateBudget {
    private static final double MINUTE_NANOS = 60e9;
    private final int rpm;
    private final int tpm;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private double requests;
    private double tokens;
    private long last;

    /** @param rpm requests per minute, 0 = unlimited; @param tpm tokens per minute, 0 = unlimited */
    public RateBudget(int rpm, int tpm, Ticker ticker) {
        this.rpm = rpm;
        this.tpm = tpm;
        this.ticker = ticker;
        this.requests = rpm;
        this.tokens = tpm;
        this.last = ticker.nanos();
    }

    /**
     * Takes one request and {@code estimatedTokens} from the budget.
     *
     * @return null when taken, else how long until the budget would allow it (nothing is taken)
     */
    public Duration tryAcquire(long estimatedTokens) {
        lock.lock();
        try {
            refill();
            // a single call larger than the whole TPM would never fit: let it through when the bucket is full
            double needTokens = tpm == 0 ? 0 : Math.min(estimatedTokens, tpm);
            boolean requestOk = rpm == 0 || requests >= 1;
            boolean tokensOk = tpm == 0 || tokens >= needTokens;
            if (requestOk && tokensOk) {
                requests -= rpm == 0 ? 0 : 1;
                tokens -= needTokens;
                return null;
            }
            double waitReq = requestOk ? 0 : (1 - requests) / rpm * MINUTE_NANOS;
            double waitTok = tokensOk ? 0 : (needTokens - tokens) / tpm * MINUTE_NANOS;
            return Duration.ofNanos((long) Math.ceil(Math.max(waitReq, waitTok)));
        } finally {
            lock.unlock();
        }
    }

    /** Corrects the estimate once the provider reported the real usage (may go negative: debt). */
    public void adjustTokens(long delta) {
        if (tpm == 0 || delta == 0) {
            return;
        }
        lock.lock();
        try {
            tokens -= delta;
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = ticker.nanos();
        double elapsed = now - last;
        last = now;
        if (rpm > 0) {
            requests = Math.min(rpm, requests + elapsed / MINUTE_NANOS * rpm);
        }
        if (tpm > 0) {
            tokens = Math.min(tpm, tokens + elapsed / MINUTE_NANOS * tpm);
        }
    }
}
