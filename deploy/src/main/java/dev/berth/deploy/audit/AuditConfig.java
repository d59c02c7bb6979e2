package dev.berth.deploy.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail's settings ({@code berth.audit.*}, ADR 0034). */
@ConfigMapping(prefix = "berth.audit")
public interface AuditConfig {

    /** How long a row is kept; the retention sweeper removes older ones. */
    @WithDefault("400d")
    Duration retention();

    /** How often each process removes rows past the retention (they are few: one statement). */
    @WithDefault("1h")
    Duration sweepInterval();

    /** Failed authentications recorded per client address a minute, per process; the rest are counted, not written. */
    @WithDefault("5")
    int failedAuthPerMinute();

    /** Client addresses tracked per minute, per process; past it, all new addresses share one allowance. */
    @WithDefault("10000")
    int failedAuthSources();
}
