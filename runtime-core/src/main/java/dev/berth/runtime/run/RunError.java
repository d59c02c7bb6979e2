package dev.berth.runtime.run;

import dev.berth.model.ModelException;
import java.util.Objects;

/** Why a run failed: a stable code and a message for humans. */
public record RunError(String code, String message) {
    /** A run refused its next model call by a budget (ADR 0032); the API answers it as a problem too. */
    public static final String BUDGET_EXCEEDED = "budget_exceeded";

    public RunError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Whether the run was refused by a budget. */
    public boolean budgetExceeded() {
        return BUDGET_EXCEEDED.equals(code);
    }

    /** A model error that ends a run, with a code per kind of failure. */
    public static RunError of(ModelException e) {
        String code = switch (e) {
            case ModelException.ContentFiltered ignored -> "content_filtered";
            case ModelException.ContextLengthExceeded ignored -> "context_length_exceeded";
            case ModelException.Throttled ignored -> "model_throttled";
            case ModelException.Unavailable ignored -> "model_unavailable";
            case ModelException.BadRequest ignored -> "model_bad_request";
            case ModelException.Authentication ignored -> "model_authentication";
        };
        return new RunError(code, e.getMessage() == null ? code : e.getMessage());
    }
}
