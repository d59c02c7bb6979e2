package dev.berth.runtime.domain;

import java.time.Instant;

/**
 * A request made before with an idempotency key, as stored with its effect (ADR 0024).
 *
 * @param kind     what the request created ({@code run}, {@code session}, ...)
 * @param resource the id of what it created, as text
 */
public record KeyedRequest(String key, String fingerprint, String kind, String resource, Instant createdAt) {
}
