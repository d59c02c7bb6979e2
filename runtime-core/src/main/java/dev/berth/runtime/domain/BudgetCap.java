package dev.berth.runtime.domain;

/**
 * The most tokens (input + output) and model calls one {@link BudgetWindow} allows; a null
 * measure is not set here (a tenant's budget then keeps the configured default, and a default
 * that is not set is unlimited).
 */
public record BudgetCap(Long tokens, Long calls) {
    public static final BudgetCap UNSET = new BudgetCap(null, null);

    public BudgetCap {
        if (tokens != null && tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0");
        }
        if (calls != null && calls < 0) {
            throw new IllegalArgumentException("calls must be >= 0");
        }
    }

    /** This cap's measures where set, the other's where not. */
    public BudgetCap orElse(BudgetCap other) {
        return new BudgetCap(tokens != null ? tokens : other.tokens, calls != null ? calls : other.calls);
    }

    public boolean isUnset() {
        return tokens == null && calls == null;
    }
}
