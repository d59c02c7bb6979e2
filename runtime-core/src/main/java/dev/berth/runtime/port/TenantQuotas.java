package dev.berth.runtime.port;

import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.QuotaOverrides;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.TenantQuotaState;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's quotas and rate limit: the admin's overrides and what the tenant holds (ADR 0031).
 * The quotas themselves are enforced by the stores that create what they count, in the
 * transaction of the creation; this port only reads and sets the limits.
 *
 * <p>Threading and errors as {@link AgentStore}.
 */
public interface TenantQuotas {

    /** The tenant's limits in force (its overrides, else the defaults given) and its current use. */
    Uni<TenantQuotaState> read(TenantId tenant, QuotaDefaults defaults, double requestsPerSecond, double burst);

    /** Replaces the tenant's overrides with these (absent ones: back to the default). */
    Uni<Void> replace(TenantId tenant, QuotaOverrides overrides);
}
