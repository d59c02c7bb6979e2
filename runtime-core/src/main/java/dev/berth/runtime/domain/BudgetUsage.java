package dev.berth.runtime.domain;

/** Tokens (input + output) and model calls spent in one {@link BudgetWindow}. */
public record BudgetUsage(long tokens, long calls) {
    public static final BudgetUsage ZERO = new BudgetUsage(0, 0);
}
