package dev.berth.runtime.tools;

import java.time.Duration;
import java.util.Objects;

/**
 * How Berth executes one tool: validated in the compact constructor.
 *
 * @param timeout        how long one try may take
 * @param maxRetries     how often a call is tried again after a retryable {@link dev.berth.tool.ToolException}
 * @param retryBackoff   the pause before the first retry; doubled for each further retry
 * @param maxConcurrent  the most executions of this tool at once in this process (0: no limit)
 * @param maxOutputChars longer output is truncated with a marker
 */
public record ToolPolicy(Duration timeout, int maxRetries, Duration retryBackoff, int maxConcurrent,
        int maxOutputChars) {
    /** Retries back off at most this long, however many there are. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public ToolPolicy {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("a tool timeout must be positive");
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("max-retries must be between 0 and 10");
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry-backoff must not be negative");
        }
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("max-concurrent must not be negative (0 means no limit)");
        }
        if (maxOutputChars < 1) {
            throw new IllegalArgumentException("max-output-chars must be positive");
        }
    }

    /** The pause before retry number {@code retry} (1-based): the backoff doubled each time, bounded. */
    Duration backoff(int retry) {
        Duration delay = retryBackoff.multipliedBy(1L << Math.min(retry - 1, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
