package dev.berth.runtime.error;

/** The API key is valid but may not do this (e.g. a non-admin key creating keys). */
public final class ForbiddenException extends BerthException {
    public ForbiddenException(String message) {
        super("forbidden", message, null);
    }
}
