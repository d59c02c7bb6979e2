package dev.berth.deploy.rest;

import dev.berth.runtime.error.ValidationException;

/**
 * Numbers in query strings ({@code ?limit=}, {@code ?after=}, {@code ?wait=}), read in one place.
 * Resources take such parameters as text and parse them here, because JAX-RS answers a query
 * value that does not convert with a 404 that names nothing; here it is a 400 problem naming the
 * parameter. An absent or empty value means the default.
 */
public final class QueryNumbers {
    private QueryNumbers() {
    }

    /** The value of the integer parameter {@code name}, or {@code fallback} when absent. */
    public static int integer(String name, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ValidationException.field(name, "must be an integer");
        }
    }

    /** The value of the long integer parameter {@code name}, or {@code fallback} when absent. */
    public static long longInteger(String name, String raw, long fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ValidationException.field(name, "must be an integer");
        }
    }
}
