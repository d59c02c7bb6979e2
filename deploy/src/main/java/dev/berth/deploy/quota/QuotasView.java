package dev.berth.deploy.quota;

import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaUse;
import dev.berth.runtime.domain.TenantQuotaState;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/quotas}: each count quota with the limit in force, the tenant's use and the
 * admin's override (null: the configured default), and the rate limit in force.
 */
public record QuotasView(Count liveSessions, Count agents, Count agentVersions, Count memories, Count apiKeys,
        Count storedBytes, Rate requestsPerSecond, Rate burst) {

    /** A count quota: {@code override} null when the default is in force. */
    public record Count(long limit, long used, Long override) {
    }

    /** A value of the rate limit (ADR 0029): {@code override} null when the default is in force. */
    public record Rate(double limit, Double override) {
    }

    static QuotasView of(TenantQuotaState state) {
        Map<Quota, Count> counts = state.counts().stream()
                .collect(Collectors.toMap(QuotaUse::quota, use -> new Count(use.limit(), use.used(), use.override())));
        Function<Quota, Count> count = counts::get;
        return new QuotasView(count.apply(Quota.LIVE_SESSIONS), count.apply(Quota.AGENTS),
                count.apply(Quota.AGENT_VERSIONS), count.apply(Quota.MEMORIES), count.apply(Quota.API_KEYS),
                count.apply(Quota.STORED_BYTES), new Rate(state.requestsPerSecond(), state.requestsPerSecondOverride()),
                new Rate(state.burst(), state.burstOverride()));
    }
}
