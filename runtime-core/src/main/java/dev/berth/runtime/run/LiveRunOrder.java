package dev.berth.runtime.run;

import dev.berth.runtime.error.ValidationException;
import java.util.Locale;

/** How {@code GET /v1/runs} orders the live runs it lists. */
public enum LiveRunOrder {
    /** The oldest first (created earliest): the runs most likely stuck or looping. */
    AGE,
    /** The costliest first: most tokens (input and output) so far. */
    COST;

    public static LiveRunOrder fromWire(String value) {
        if (value == null) {
            return AGE;
        }
        return switch (value) {
            case "age" -> AGE;
            case "cost" -> COST;
            default -> throw ValidationException.field("orderBy", "must be 'age' or 'cost'");
        };
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
