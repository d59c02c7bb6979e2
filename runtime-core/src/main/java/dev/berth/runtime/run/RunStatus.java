package dev.berth.runtime.run;

import java.util.Locale;

/**
 * {@code queued -> running -> (requires_action | completed | failed | cancelled | expired)}; a run
 * that called sub-agents goes {@code running -> waiting -> queued} while its children work.
 */
public enum RunStatus {
    QUEUED, RUNNING, REQUIRES_ACTION, COMPLETED, FAILED, CANCELLED, EXPIRED,
    /** Waiting for its sub-agent runs, without a lease; queued again by the last child to settle. */
    WAITING;

    /** Whether the run will never change again. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == EXPIRED;
    }

    /** Whether a client waiting for the run has something to look at. */
    public boolean settled() {
        return terminal() || this == REQUIRES_ACTION;
    }

    /** Whether a step that moves the run to this status gives its lease up. */
    public boolean releasesLease() {
        return settled() || this == WAITING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
