package dev.berth.runtime.port;

import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.UsageGroup;
import dev.berth.runtime.domain.UsageRow;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's own budgets and the usage it reports (ADR 0032). The counting itself is part of the
 * step commit ({@link dev.berth.runtime.run.RunStore#commitStep}), not of this port.
 *
 * <p>Threading and errors as {@link AgentStore}.
 */
public interface BudgetStore {

    /** The budgets the tenant's admin set; {@link BudgetLimits#NONE} when none (the configured defaults hold). */
    Uni<BudgetLimits> limits(TenantId tenant);

    /** Replaces the tenant's budgets with these; a window or measure left out falls back to the default. */
    Uni<Void> replaceLimits(TenantId tenant, BudgetLimits limits);

    /**
     * The tenant's runs created in {@code [from, to)}, summed per group, in the order of their key,
     * at most {@code limit} groups after the key {@code after} (empty: from the first).
     */
    Uni<Page<UsageRow>> usage(TenantId tenant, UsageGroup group, Instant from, Instant to, Optional<String> after,
            int limit);
}
