package dev.berth.runtime.error;

/** The request conflicts with the current state (e.g. input while a run is active under the reject policy). */
public final class ConflictException extends BerthException {
    public ConflictException(String problemType, String message) {
        super(problemType, message, null);
    }
}
