package dev.berth.deploy.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The platform operator's credentials and the suspension check ({@code berth.platform.*}, ADR 0034). */
@ConfigMapping(prefix = "berth.platform")
public interface PlatformConfig {

    /**
     * SHA-256 of each platform key, in hex (e.g. {@code printf %s "$KEY" | sha256sum}): the keys
     * themselves are never in the configuration. Unset: no platform API.
     */
    Optional<List<String>> keyHashes();

    /**
     * How long a process may go on trusting its list of suspended tenants: a tenant suspended through
     * another process is refused here within this time.
     */
    @WithDefault("2s")
    Duration suspensionRefresh();
}
