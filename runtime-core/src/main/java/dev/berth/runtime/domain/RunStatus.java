package dev.berth.runtime.domain;

import java.util.Locale;

/** {@code queued -> running -> (requires_action | completed | failed | cancelled | expired)}. */
public enum RunStatus {
    QUEUED, RUNNING, REQUIRES_ACTION, COMPLETED, FAILED, CANCELLED, EXPIRED;

    /** Whether the run will never change again. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == EXPIRED;
    }

    /** Whether a client waiting for the run has something to look at. */
    public boolean settled() {
        return terminal() || this == REQUIRES_ACTION;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
