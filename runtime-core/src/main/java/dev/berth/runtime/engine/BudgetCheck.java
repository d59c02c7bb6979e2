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
 * decides. A call "would exceed" a budget when the budget is already spent (the calls counted have
 * reached the limit, or the tokens counted have), or, for tokens, when what the call may spend does
 * not fit in what is left: the request's tokens as the engine counts them before sending it, plus
 * the agent's {@code maxCompletionTokens} when it sets one. Without that limit an answer's length is
 * not known before it arrives, so a call whose request fits may still pass a token budget by its
 * answer's tokens; the next call is then refused. Several runs spending from one budget at once
 * may each pass it by one call (they check against counters read before their calls).
 */
final class BudgetCheck {
    private BudgetCheck() {
    }

    /**
     * Before the context is assembled: whether any budget is already spent.
     *
     * @param defaults  the configured budgets ({@code berth.budget.*})
     * @param state     the counters and the tenant's budgets, as the last claim or commit read them
     * @param limits    the agent's per-run limits
     * @param runTokens the tokens this run spent so far, over all its claims
     * @return the error to fail the run with, or empty when the next call may go
     */
    static Optional<RunError> nextCall(BudgetLimits defaults, BudgetState state, AgentLimits limits, long runTokens) {
        return nextCall(defaults, state, limits, runTokens, 0);
    }

    /**
     * With the request assembled: whether a call that may spend {@code requestTokens} plus the
     * agent's {@code maxCompletionTokens} fits in every token budget, and no budget is spent.
     */
    static Optional<RunError> nextCall(BudgetLimits defaults, BudgetState state, AgentLimits limits, long runTokens,
            long requestTokens) {
        long callTokens = requestTokens + (limits.maxCompletionTokens() == null ? 0 : limits.maxCompletionTokens());
        if (limits.maxRunTokens() != null && exceeds(runTokens, callTokens, limits.maxRunTokens())) {
            return Optional.of(new RunError(RunError.BUDGET_EXCEEDED, "the run spent " + runTokens + " tokens"
                    + needs(callTokens) + ", its agent's limit is " + limits.maxRunTokens()));
        }
        BudgetLimits effective = state.tenantLimits().over(defaults);
        for (BudgetWindow window : BudgetWindow.values()) {
            BudgetCap cap = effective.cap(window);
            BudgetUsage used = state.used(window);
            if (cap.tokens() != null && exceeds(used.tokens(), callTokens, cap.tokens())) {
                return Optional.of(callTokens > 0 && used.tokens() < cap.tokens()
                        ? tooBig(window, cap.tokens(), used.tokens(), callTokens)
                        : spent(window, "tokens", cap.tokens(), used.tokens()));
            }
            if (cap.calls() != null && used.calls() >= cap.calls()) {
                return Optional.of(spent(window, "model calls", cap.calls(), used.calls()));
            }
        }
        return Optional.empty();
    }

    /** Spent already, or the call would take the count past the limit. */
    private static boolean exceeds(long used, long callTokens, long limit) {
        return used >= limit || used + callTokens > limit;
    }

    private static String needs(long callTokens) {
        return callTokens == 0 ? "" : " and its next model call may spend " + callTokens;
    }

    private static RunError tooBig(BudgetWindow window, long limit, long used, long callTokens) {
        return new RunError(RunError.BUDGET_EXCEEDED, "the next model call may spend " + callTokens
                + " tokens, more than the " + (limit - used) + " left of the " + window.scope() + "'s budget of "
                + limit + " tokens a " + window.period());
    }

    private static RunError spent(BudgetWindow window, String measure, long limit, long used) {
        return new RunError(RunError.BUDGET_EXCEEDED, "the " + window.scope() + "'s budget of " + limit + " " + measure
                + " a " + window.period() + " is spent (" + used + " used)");
    }
}
