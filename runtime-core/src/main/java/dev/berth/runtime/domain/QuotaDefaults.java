package dev.berth.runtime.domain;

import java.util.EnumMap;
import java.util.Map;

/**
 * The limit of each {@link Quota} for tenants with no override of their own (configuration,
 * {@code berth.quota.max-*}). Immutable.
 */
public record QuotaDefaults(Map<Quota, Long> limits) {
    public QuotaDefaults {
        for (Quota quota : Quota.values()) {
            Long limit = limits.get(quota);
            if (limit == null || limit < 0) {
                throw new IllegalArgumentException("the default of quota " + quota.wire() + " must be 0 or more");
            }
        }
        limits = Map.copyOf(new EnumMap<>(limits));
    }

    /** Every quota at the same limit (tests). */
    public static QuotaDefaults all(long limit) {
        Map<Quota, Long> limits = new EnumMap<>(Quota.class);
        for (Quota quota : Quota.values()) {
            limits.put(quota, limit);
        }
        return new QuotaDefaults(limits);
    }

    /** These defaults with one of them changed. */
    public QuotaDefaults with(Quota quota, long limit) {
        Map<Quota, Long> changed = new EnumMap<>(limits);
        changed.put(quota, limit);
        return new QuotaDefaults(changed);
    }

    public long of(Quota quota) {
        return limits.get(quota);
    }
}
