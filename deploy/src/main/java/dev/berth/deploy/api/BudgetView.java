package dev.berth.deploy.api;

import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetWindow;
import dev.berth.runtime.error.ValidationException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Budgets as the API shows and takes them (ADR 0032): by scope ({@code tenant}, {@code agent}: each
 * agent, {@code session}: each session), then period ({@code day}, {@code month}, UTC), then measure
 * ({@code tokens}: input + output, {@code calls}: model calls). A measure left out or null is not set.
 */
public record BudgetView(Scope tenant, Scope agent, Scope session) {
    /**
     * The largest budget (and per-run token limit) accepted: two billion, below 2^31 like every number the API
     * takes (the fuzz suite refuses larger ones everywhere); a tenant that needs more sets none (unlimited).
     */
    public static final long MAX = 2_000_000_000L;

    public record Scope(Cap day, Cap month) {
    }

    public record Cap(Long tokens, Long calls) {
    }

    public static BudgetView of(BudgetLimits limits) {
        return new BudgetView(scope(limits, BudgetWindow.TENANT_DAY, BudgetWindow.TENANT_MONTH),
                scope(limits, BudgetWindow.AGENT_DAY, BudgetWindow.AGENT_MONTH),
                scope(limits, BudgetWindow.SESSION_DAY, BudgetWindow.SESSION_MONTH));
    }

    /** These budgets as limits; a negative or too large value is a 400 naming its field. */
    public BudgetLimits limits() {
        Map<BudgetWindow, BudgetCap> caps = new EnumMap<>(BudgetWindow.class);
        put(caps, BudgetWindow.TENANT_DAY, tenant == null ? null : tenant.day());
        put(caps, BudgetWindow.TENANT_MONTH, tenant == null ? null : tenant.month());
        put(caps, BudgetWindow.AGENT_DAY, agent == null ? null : agent.day());
        put(caps, BudgetWindow.AGENT_MONTH, agent == null ? null : agent.month());
        put(caps, BudgetWindow.SESSION_DAY, session == null ? null : session.day());
        put(caps, BudgetWindow.SESSION_MONTH, session == null ? null : session.month());
        return new BudgetLimits(caps);
    }

    private static void put(Map<BudgetWindow, BudgetCap> caps, BudgetWindow window, Cap cap) {
        if (cap != null) {
            String path = window.scope() + "." + window.period() + ".";
            caps.put(window, new BudgetCap(checked(path + "tokens", cap.tokens()), checked(path + "calls", cap.calls())));
        }
    }

    private static Long checked(String field, Long value) {
        if (value != null && (value < 0 || value > MAX)) {
            throw ValidationException.field(field, "must be between 0 and " + MAX);
        }
        return value;
    }

    private static Scope scope(BudgetLimits limits, BudgetWindow day, BudgetWindow month) {
        return new Scope(cap(limits.cap(day)), cap(limits.cap(month)));
    }

    private static Cap cap(BudgetCap cap) {
        return new Cap(cap.tokens(), cap.calls());
    }
}
