package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetUsage;
import dev.berth.runtime.domain.BudgetWindow;
import dev.berth.runtime.run.BudgetState;
import dev.berth.runtime.run.RunError;
import java.util.Optional;

/**
 * Whether a run may make its next model call within its budgets (ADR 0032): the one place that
 * decides. A call "would exceed" a budget when the budget is already spent: for model calls, when
 * the calls counted have reached the limit (one more would pass it); for tokens, when the tokens
 * counted have reached the limit. A call's own tokens are not known before it answers, so the call
 * that crosses a token limit is made, and the next one refused: a token budget is passed by at
 * most one call's tokens per run that spends from it at the same time.
 */
final class BudgetCheck {
    private BudgetCheck() {
    }

    /**
     * @param defaults  the configured budgets ({@code berth.budget.*})
     * @param state     the counters and the tenant's budgets, as the last claim or commit read them
     * @param limits    the agent's per-run limits
     * @param runTokens the tokens this run spent so far, over all its claims
     * @return the error to fail the run with, or empty when the next call fits
     */
    static Optional<RunError> nextCall(BudgetLimits defaults, BudgetState state, AgentLimits limits, long runTokens) {
        if (limits.maxRunTokens() != null && runTokens >= limits.maxRunTokens()) {
            return Optional.of(new RunError(RunError.BUDGET_EXCEEDED, "the run spent " + runTokens
                    + " tokens, its agent's limit is " + limits.maxRunTokens()));
        }
        BudgetLimits effective = state.tenantLimits().over(defaults);
        for (BudgetWindow window : BudgetWindow.values()) {
            BudgetCap cap = effective.cap(window);
            BudgetUsage used = state.used(window);
            if (cap.tokens() != null && used.tokens() >= cap.tokens()) {
                return Optional.of(spent(window, "tokens", cap.tokens(), used.tokens()));
            }
            if (cap.calls() != null && used.calls() >= cap.calls()) {
                return Optional.of(spent(window, "model calls", cap.calls(), used.calls()));
            }
        }
        return Optional.empty();
    }

    private static RunError spent(BudgetWindow window, String measure, long limit, long used) {
        return new RunError(RunError.BUDGET_EXCEEDED, "the " + window.scope() + "'s budget of " + limit + " " + measure
                + " a " + window.period() + " is spent (" + used + " used)");
    }
}
