package dev.berth.runtime.domain;

import java.util.EnumMap;
import java.util.Map;

/**
 * Budgets per {@link BudgetWindow}: the configured defaults ({@code berth.budget.*}) or a tenant's
 * own (PUT /v1/budgets), which win measure by measure ({@link #over}). A window left out is unset.
 */
public record BudgetLimits(Map<BudgetWindow, BudgetCap> caps) {
    public static final BudgetLimits NONE = new BudgetLimits(Map.of());

    public BudgetLimits {
        EnumMap<BudgetWindow, BudgetCap> copy = new EnumMap<>(BudgetWindow.class);
        caps.forEach((window, cap) -> {
            if (!cap.isUnset()) {
                copy.put(window, cap);
            }
        });
        caps = java.util.Collections.unmodifiableMap(copy);
    }

    public BudgetCap cap(BudgetWindow window) {
        return caps.getOrDefault(window, BudgetCap.UNSET);
    }

    /** These limits where set, the defaults where not. */
    public BudgetLimits over(BudgetLimits defaults) {
        EnumMap<BudgetWindow, BudgetCap> merged = new EnumMap<>(BudgetWindow.class);
        for (BudgetWindow window : BudgetWindow.values()) {
            merged.put(window, cap(window).orElse(defaults.cap(window)));
        }
        return new BudgetLimits(merged);
    }
}
