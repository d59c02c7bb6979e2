package dev.berth.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When a deployment is considered down. Only "unavailable" failures (5xx, timeouts, connection
 * errors) count; throttling and client errors do not.
 *
 * @param requestVolume calls in the rolling window before the breaker may open
 * @param failureRatio  share of failed calls in the window that opens it
 * @param delay         how long it stays open before letting a probe call through
 */
public record CircuitBreakerPolicy(int requestVolume, double failureRatio, Duration delay) {
    public static final CircuitBreakerPolicy DEFAULTS = new CircuitBreakerPolicy(20, 0.5, Duration.ofSeconds(30));

    public CircuitBreakerPolicy {
        if (requestVolume < 1) {
            throw new IllegalArgumentException("requestVolume must be >= 1");
        }
        if (failureRatio <= 0 || failureRatio > 1) {
            throw new IllegalArgumentException("failureRatio must be in (0, 1]");
        }
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
    }
}
