package dev.berth.runtime.run;

import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetUsage;
import dev.berth.runtime.domain.BudgetWindow;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the store read, with a claim or a step commit, for the engine to check a run's next model
 * call against (ADR 0032): the tenant's own budgets (none set: {@link BudgetLimits#NONE}) and what
 * the run's tenant, agent and session spent in the current day and month, this run's committed
 * steps included. It is as fresh as the statement that read it: steps other runs commit later are
 * not in it, which is what bounds an overshoot to one step per concurrent run.
 */
public record BudgetState(BudgetLimits tenantLimits, Map<BudgetWindow, BudgetUsage> used) {
    /** Nothing read: no budget of the tenant's, nothing spent (a store that keeps no counters). */
    public static final BudgetState NONE = new BudgetState(BudgetLimits.NONE, Map.of());

    public BudgetState {
        used = used.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(used));
    }

    public BudgetUsage used(BudgetWindow window) {
        return used.getOrDefault(window, BudgetUsage.ZERO);
    }
}
