package dev.berth.runtime.error;

import java.time.Duration;

/**
 * A request with the same idempotency key is still in flight (its transaction open) after the
 * bounded wait: the client retries after {@link #retryAfter()} (409, ADR 0024).
 */
public final class InProgressException extends BerthException {
    private final Duration retryAfter;

    public InProgressException(String message, Duration retryAfter) {
        super("request-in-progress", message, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
