package dev.berth.runtime.tools;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The execution policy of every tool: the defaults, overridden per tool name by
 * {@code berth.tools.policy.<tool>.*}. Also holds each limited tool's {@link ConcurrencyLimit}
 * (per process: a limit of 2 with 3 processes allows up to 6 executions at once). Thread safe.
 */
final class ToolPolicies {
    private final ToolPolicy defaults;
    private final Map<String, ToolPolicy> overrides;
    private final Map<String, ConcurrencyLimit> limits = new ConcurrentHashMap<>();

    ToolPolicies(ToolPolicy defaults, Map<String, ToolPolicy> overrides) {
        this.defaults = defaults;
        this.overrides = Map.copyOf(overrides);
    }

    static ToolPolicies fromConfig(ToolPolicy defaults, Map<String, ToolsConfig.Policy> configured) {
        Map<String, ToolPolicy> overrides = new ConcurrentHashMap<>();
        configured.forEach((tool, policy) -> {
            try {
                overrides.put(tool, new ToolPolicy(
                        policy.timeout().orElse(defaults.timeout()),
                        policy.maxRetries().orElse(defaults.maxRetries()),
                        policy.retryBackoff().orElse(defaults.retryBackoff()),
                        policy.maxConcurrent().orElse(defaults.maxConcurrent()),
                        policy.maxOutputChars().orElse(defaults.maxOutputChars())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("berth.tools.policy." + tool + ": " + e.getMessage(), e);
            }
        });
        return new ToolPolicies(defaults, overrides);
    }

    ToolPolicy of(String tool) {
        return overrides.getOrDefault(tool, defaults);
    }

    /** The tool's concurrency limit in this process, if it has one. */
    Optional<ConcurrencyLimit> limit(String tool) {
        int max = of(tool).maxConcurrent();
        return max == 0 ? Optional.empty() : Optional.of(limits.computeIfAbsent(tool, name -> new ConcurrencyLimit(max)));
    }
}
