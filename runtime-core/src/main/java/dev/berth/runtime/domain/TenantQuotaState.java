package dev.berth.runtime.domain;

import java.util.List;

/**
 * A tenant's quotas as {@code GET /v1/quotas} shows them: each count quota with its use, and the
 * rate limit in force (ADR 0029) with the overrides that set it.
 */
public record TenantQuotaState(List<QuotaUse> counts, double requestsPerSecond, Double requestsPerSecondOverride,
        double burst, Double burstOverride) {
    public TenantQuotaState {
        counts = List.copyOf(counts);
    }
}
