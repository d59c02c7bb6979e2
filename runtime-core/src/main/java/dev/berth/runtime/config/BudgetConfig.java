package dev.berth.runtime.config;

import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetWindow;
import io.smallrye.config.ConfigMapping;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The default budgets of every tenant ({@code berth.budget.<scope>.<period>.tokens|calls}, for
 * example {@code berth.budget.tenant.day.tokens=1000000}); a key not set is unlimited. A tenant's
 * admin may set its own (PUT /v1/budgets), which win measure by measure (ADR 0032).
 */
@ConfigMapping(prefix = "berth.budget")
public interface BudgetConfig {

    /** The tenant's spending, all agents and sessions together. */
    Scope tenant();

    /** Each agent's spending (by name, all its versions), in each of the tenant's sessions together. */
    Scope agent();

    /** Each session's spending. */
    Scope session();

    interface Scope {
        /** In the current UTC day. */
        Cap day();

        /** In the current UTC month. */
        Cap month();
    }

    interface Cap {
        /** Tokens, input and output together. */
        OptionalLong tokens();

        /** Model calls. */
        OptionalLong calls();
    }

    /** These settings as limits. */
    default BudgetLimits limits() {
        Map<BudgetWindow, BudgetCap> caps = new EnumMap<>(BudgetWindow.class);
        put(caps, BudgetWindow.TENANT_DAY, tenant().day());
        put(caps, BudgetWindow.TENANT_MONTH, tenant().month());
        put(caps, BudgetWindow.AGENT_DAY, agent().day());
        put(caps, BudgetWindow.AGENT_MONTH, agent().month());
        put(caps, BudgetWindow.SESSION_DAY, session().day());
        put(caps, BudgetWindow.SESSION_MONTH, session().month());
        return new BudgetLimits(caps);
    }

    private static void put(Map<BudgetWindow, BudgetCap> caps, BudgetWindow window, Cap cap) {
        caps.put(window, new BudgetCap(boxed(cap.tokens()), boxed(cap.calls())));
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
