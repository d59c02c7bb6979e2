package dev.berth.runtime.domain;

import java.util.Objects;

/** Why a run failed: a stable code and a message for humans. */
public record RunError(String code, String message) {
    public RunError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
