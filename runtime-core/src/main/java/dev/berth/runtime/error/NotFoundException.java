package dev.berth.runtime.error;

/** The object does not exist, or belongs to another tenant (which looks the same). */
public final class NotFoundException extends BerthException {
    public NotFoundException(String what, Object id) {
        super("not-found", what + " '" + id + "' was not found", null);
    }
}
