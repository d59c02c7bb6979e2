package dev.berth.runtime.domain;

import java.util.Locale;

/** What new input does while a run of the session is active. */
public enum InputPolicy {
    /** Refuse the input (409). */
    REJECT,
    /** Queue a new run, processed after the active ones, in order. */
    ENQUEUE,
    /** Cancel the active run at its next step boundary and queue the new one. */
    INTERRUPT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputPolicy fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
