package dev.berth.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of one attempt. A retried call gets fresh connect and first-byte timeouts; the
 * total timeout bounds one attempt including reading the whole body (streams: until the
 * last event).
 *
 * @param connect   opening a TCP/TLS connection
 * @param firstByte from sending the request to the first byte of the answer
 * @param total     one whole attempt
 */
public record Timeouts(Duration connect, Duration firstByte, Duration total) {
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(300));

    public Timeouts {
        positive(connect, "connect");
        positive(firstByte, "firstByte");
        positive(total, "total");
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " timeout must be positive");
        }
    }
}
