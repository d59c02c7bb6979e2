package dev.berth.runtime.error;

/** A dependency (the database) is unreachable; the client may retry the same request. */
public final class UnavailableException extends BerthException {
    public UnavailableException(String message, Throwable cause) {
        super("unavailable", message, cause);
    }
}
