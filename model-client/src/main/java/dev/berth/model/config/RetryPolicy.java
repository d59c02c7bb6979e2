package dev.berth.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed attempts are retried (408, 409, 429, 5xx, connection errors, timeouts).
 *
 * @param maxRetries     retries after the first attempt, across all deployments of a model
 * @param initialBackoff first backoff, doubled each retry (with jitter) unless the server says otherwise
 * @param maxBackoff     cap of the exponential backoff
 * @param maxRetryAfter  a server's {@code Retry-After} above this is not waited for: fail over or give up
 * @param budgetRatio    retries allowed as a fraction of recent calls (a token bucket), so that an
 *                       outage does not multiply the load; e.g. 0.2 = at most one retry per five calls
 *                       once the initial {@code budgetMinRetries} are spent
 * @param budgetMinRetries retries always available per second regardless of traffic
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        double budgetRatio, int budgetMinRetries) {

    /** Like the official SDKs: 3 retries from 0.5 s capped at 8 s, Retry-After up to 120 s. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(120), 0.2, 10);

    /** No retries at all. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(120), 0.2, 10);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
        if (budgetRatio < 0 || budgetMinRetries < 0) {
            throw new IllegalArgumentException("retry budget must be >= 0");
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, initialBackoff, maxBackoff, maxRetryAfter, budgetRatio, budgetMinRetries);
    }
}
