package dev.berth.runtime.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a budget counts over: whose spending (the tenant's, one agent's, one session's) in which
 * period (the current UTC day or month). Each step counts in all six (ADR 0032).
 */
public enum BudgetWindow {
    TENANT_DAY("tenant", "day"),
    TENANT_MONTH("tenant", "month"),
    AGENT_DAY("agent", "day"),
    AGENT_MONTH("agent", "month"),
    SESSION_DAY("session", "day"),
    SESSION_MONTH("session", "month");

    private final String scope;
    private final String period;

    BudgetWindow(String scope, String period) {
        this.scope = scope;
        this.period = period;
    }

    /** {@code tenant}, {@code agent} or {@code session}: the wire and database name. */
    public String scope() {
        return scope;
    }

    /** {@code day} or {@code month}: the wire and database name. */
    public String period() {
        return period;
    }

    public static Optional<BudgetWindow> of(String scope, String period) {
        return Arrays.stream(values()).filter(w -> w.scope.equals(scope) && w.period.equals(period)).findFirst();
    }

    @Override
    public String toString() {
        return scope + " " + period;
    }
}
