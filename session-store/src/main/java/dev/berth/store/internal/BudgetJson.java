package dev.berth.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetUsage;
import dev.berth.runtime.domain.BudgetWindow;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.BudgetState;
import java.util.EnumMap;
import java.util.Map;

/**
 * The stored form of a tenant's budgets ({@code tenant_budgets.limits}) and of what
 * {@code berth_budget_state} (R__85) answers. Both nest by scope, then period:
 * {@code {"tenant": {"day": {"tokens": 1000, "calls": 10}, "month": {...}}, "agent": ..., "session": ...}}.
 */
public final class BudgetJson {

    private BudgetJson() {
    }

    public static String write(BudgetLimits limits) {
        ObjectNode root = DocumentJson.object();
        limits.caps().forEach((window, cap) -> {
            ObjectNode node = window(root, window);
            if (cap.tokens() != null) {
                node.put("tokens", cap.tokens());
            }
            if (cap.calls() != null) {
                node.put("calls", cap.calls());
            }
        });
        return DocumentJson.write(root);
    }

    public static BudgetLimits limits(JsonNode node) {
        Map<BudgetWindow, BudgetCap> caps = new EnumMap<>(BudgetWindow.class);
        if (node != null && node.isObject()) {
            for (BudgetWindow window : BudgetWindow.values()) {
                JsonNode cap = node.path(window.scope()).path(window.period());
                caps.put(window, new BudgetCap(cap.hasNonNull("tokens") ? cap.get("tokens").asLong() : null,
                        cap.hasNonNull("calls") ? cap.get("calls").asLong() : null));
            }
        }
        return new BudgetLimits(caps);
    }

    /** What berth_budget_state answered, as text; null (a settled run) reads as null. */
    public static BudgetState state(String text) {
        if (text == null) {
            return null;
        }
        JsonNode node = DocumentJson.readObject(text);
        Map<BudgetWindow, BudgetUsage> used = new EnumMap<>(BudgetWindow.class);
        for (BudgetWindow window : BudgetWindow.values()) {
            JsonNode counts = node.path("used").path(window.scope()).path(window.period());
            used.put(window, new BudgetUsage(counts.path("tokens").asLong(0), counts.path("calls").asLong(0)));
        }
        return new BudgetState(limits(node.get("limits")), used);
    }

    private static ObjectNode window(ObjectNode root, BudgetWindow window) {
        ObjectNode scope = root.has(window.scope()) ? (ObjectNode) root.get(window.scope()) : root.putObject(window.scope());
        return scope.has(window.period()) ? (ObjectNode) scope.get(window.period()) : scope.putObject(window.period());
    }
}
