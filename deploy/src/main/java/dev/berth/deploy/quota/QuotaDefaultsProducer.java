package dev.berth.deploy.quota;

import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/** The configured count quotas ({@code berth.quota.max-*}) as the stores that check them take them. */
@ApplicationScoped
public class QuotaDefaultsProducer {

    // Singleton, not a normal scope: a record cannot be proxied, and the value never changes.
    @Produces
    @Singleton
    QuotaDefaults defaults(QuotaConfig config) {
        Map<Quota, Long> limits = new EnumMap<>(Quota.class);
        limits.put(Quota.LIVE_SESSIONS, config.maxLiveSessions());
        limits.put(Quota.AGENTS, config.maxAgents());
        limits.put(Quota.AGENT_VERSIONS, config.maxAgentVersions());
        limits.put(Quota.MEMORIES, config.maxMemories());
        limits.put(Quota.API_KEYS, config.maxApiKeys());
        limits.put(Quota.STORED_BYTES, config.maxStoredBytes());
        return new QuotaDefaults(limits);
    }
}
