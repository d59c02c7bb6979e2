package dev.berth.runtime.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code Idempotency-Key} a client sent with a creating request (ADR 0024), as a store claims
 * it in the transaction of the request's effect.
 *
 * @param value       the key as the client sent it (1 to 255 printable ASCII characters)
 * @param fingerprint what the request was (a digest of method, route, values and body): the same key
 *                    with another fingerprint is a different request
 * @param ttl         how long the key is kept
 * @param inFlightWait how long a request waits for another one with the same key that is still in
 *                    flight (its transaction open) before it gives up with a conflict
 */
public record RequestKey(String value, String fingerprint, Duration ttl, Duration inFlightWait) {
    public RequestKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(inFlightWait, "inFlightWait");
    }
}
