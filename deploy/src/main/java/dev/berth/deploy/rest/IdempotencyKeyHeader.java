package dev.berth.deploy.rest;

import dev.berth.runtime.error.ValidationException;

/**
 * The {@code Idempotency-Key} request header (IETF draft httpapi-idempotency-key-header): 1 to 255
 * printable ASCII characters, sent bare (as Stripe's clients do) or as a structured-field string in
 * double quotes (as the draft writes it), which are taken off. Anything else is a 400 problem.
 */
final class IdempotencyKeyHeader {
    static final String NAME = "Idempotency-Key";
    /** Set to {@code true} on an answer rendered again for a key used before. */
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 255;
    /** What the API document says of the header. */
    static final String DOC = "Idempotency-Key (1 to 255 printable ASCII characters, kept berth.api.idempotency-ttl):"
            + " a retry with the same key and the same request gets the original answer, marked"
            + " Idempotent-Replayed: true; the same key with another request gets 422";
    /** The same, for requests whose answer shows a secret once. */
    static final String SECRET_DOC = "Idempotency-Key (1 to 255 printable ASCII characters): a retry with the"
            + " same key and request creates nothing and gets 409 secret-shown-once naming what the first one created"
            + " (the secret is kept only as a hash); the same key with another request gets 422";

    private IdempotencyKeyHeader() {
    }

    /** The key, or null when the header is absent. */
    static String parse(String header) {
        if (header == null) {
            return null;
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        if (key.isEmpty() || key.isBlank()) {
            throw ValidationException.field(NAME, "must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw ValidationException.field(NAME, "must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ValidationException.field(NAME, "must be printable ASCII characters only");
            }
        }
        return key;
    }
}
