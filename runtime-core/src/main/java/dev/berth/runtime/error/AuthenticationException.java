package dev.berth.runtime.error;

/** No API key, or one that is unknown or revoked. */
public final class AuthenticationException extends BerthException {
    public AuthenticationException(String message) {
        super("unauthorized", message, null);
    }
}
