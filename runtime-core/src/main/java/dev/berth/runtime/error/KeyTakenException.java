package dev.berth.runtime.error;

/**
 * A store found the request's idempotency key already claimed (by a request that committed, maybe
 * in another process, maybe while this one waited for it). Not an answer for the client: the API
 * reads the key and answers from the earlier request (ADR 0024).
 */
public final class KeyTakenException extends RuntimeException {
    public KeyTakenException(String key) {
        super("idempotency key '" + key + "' is already used", null, false, false);
    }
}
