package dev.berth.runtime.error;

import java.util.Map;

/** The request is well-formed JSON but its content is invalid; nothing was changed. */
public final class ValidationException extends BerthException {
    private final Map<String, String> fieldErrors;

    public ValidationException(String message, Map<String, String> fieldErrors) {
        super("validation", message, null);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public static ValidationException field(String field, String problem) {
        return new ValidationException(field + ": " + problem, Map.of(field, problem));
    }

    /** Field path to what is wrong with it. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
