package dev.berth.runtime.port;

import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Each tenant's request token bucket, shared by every process (ADR 0029).
 *
 * <p>Threading and errors as {@link AgentStore}.
 */
public interface RateLimits {

    /**
     * Takes one token from the tenant's bucket, which refills at {@code perSecond} and holds at
     * most {@code burst} (the tenant's own overrides win over these defaults). Answers
     * {@link Duration#ZERO} when a token was taken, else how long until one is there; a refused
     * take changes nothing.
     */
    Uni<Duration> take(TenantId tenant, double perSecond, double burst);
}
