package dev.berth.runtime.domain;

import dev.berth.runtime.error.ConflictException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An operator's kill of a session (ADR 0033): its live runs and their sub-agent trees were
 * cancelled, and it refuses input until reopened.
 *
 * @param by who killed it ({@link ApiPrincipal#subject()})
 * @param at when the first kill landed (a second kill changes neither)
 */
public record SessionKill(String by, Instant at) {
    /** The problem type of input a killed session refuses (409). */
    public static final String REFUSED = "session-killed";

    public SessionKill {
        Objects.requireNonNull(at, "at");
    }

    /** What a client hears when it sends input, or answers a run, of a killed session. */
    public static ConflictException refusal(UUID session) {
        return new ConflictException(REFUSED, "session '" + session + "' was killed by an operator and takes no input"
                + " until it is reopened (POST /v1/sessions/{id}/reopen)");
    }
}
