package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's kill of a session (ADR 0033): its live runs and their sub-agent trees were
 * cancelled, and it refuses input until reopened ({@link dev.berth.runtime.error.SessionKilled}).
 *
 * @param by who killed it ({@link ApiPrincipal#subject()})
 * @param at when the first kill landed (a second kill changes neither)
 */
public record SessionKill(String by, Instant at) {
    public SessionKill {
        Objects.requireNonNull(at, "at");
    }
}
