package dev.berth.deploy.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The default rate limit and quotas of every tenant ({@code berth.quota.*}); an admin may override them per tenant. */
@ConfigMapping(prefix = "berth.quota")
public interface QuotaConfig {

    /** Off only where something in front of Berth limits each tenant already (it saves one statement a request). */
    @WithName("rate-limit-enabled")
    @WithDefault("true")
    boolean rateLimitEnabled();

    /** Tokens a tenant's request bucket gains a second: its sustained requests per second. */
    @WithDefault("50")
    double requestsPerSecond();

    /** Tokens the bucket holds at most: requests a tenant may send at once after a quiet spell. */
    @WithDefault("100")
    double burst();

    /** Sessions a tenant may have active at once (deleted and expired ones do not count). */
    @WithDefault("10000")
    long maxLiveSessions();

    /** Agent names a tenant may define. */
    @WithDefault("1000")
    long maxAgents();

    /** Agent versions a tenant may create, over all its agents (versions are never deleted). */
    @WithDefault("100000")
    long maxAgentVersions();

    /** Long-term memory records a tenant may hold. */
    @WithDefault("100000")
    long maxMemories();

    /** API keys a tenant may hold unrevoked. */
    @WithDefault("1000")
    long maxApiKeys();

    /** UTF-8 bytes of memory content a tenant may hold (1 GiB). */
    @WithDefault("1073741824")
    long maxStoredBytes();
}
