package dev.berth.runtime.domain;

import java.util.Locale;

/** A session takes input while {@code active}; once {@code expired} it is kept but refuses input. */
public enum SessionStatus {
    ACTIVE, EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
