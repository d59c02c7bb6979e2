package dev.berth.runtime.error;

/**
 * An idempotency key sent again with a different request (another body, route or values): the
 * request is refused and changes nothing (422, ADR 0024).
 */
public final class KeyReusedException extends BerthException {
    public KeyReusedException(String message) {
        super("idempotency-key-reused", message, null);
    }
}
