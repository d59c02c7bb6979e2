package dev.berth.runtime.error;

import java.util.UUID;

/** The refusal a killed session gives input, and answers to its runs, until reopened (ADR 0033). */
public final class SessionKilled {
    /** The problem type (409). */
    public static final String TYPE = "session-killed";

    private SessionKilled() {
    }

    /** What a client hears when it sends input, or answers a run, of a killed session. */
    public static ConflictException refusal(UUID session) {
        return new ConflictException(TYPE, "session '" + session + "' was killed by an operator and takes no input"
                + " until it is reopened (POST /v1/sessions/{id}/reopen)");
    }
}
