package dev.berth.runtime.domain;

import java.util.EnumMap;
import java.util.Map;

/**
 * An admin's overrides of a tenant's limits (ADR 0031): a quota or rate that is absent follows the
 * configured default. The rate limit's two values (ADR 0029) are overridden here as well.
 *
 * @param counts            count quotas overridden, each 0 or more
 * @param requestsPerSecond the token bucket's refill rate, more than 0; null: the default
 * @param burst             the bucket's size, 1 or more; null: the default
 */
public record QuotaOverrides(Map<Quota, Long> counts, Double requestsPerSecond, Double burst) {
    public QuotaOverrides {
        counts = Map.copyOf(counts.isEmpty() ? Map.of() : new EnumMap<>(counts));
    }

    public Long count(Quota quota) {
        return counts.get(quota);
    }
}
