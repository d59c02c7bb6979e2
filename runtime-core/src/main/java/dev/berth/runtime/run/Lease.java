package dev.berth.runtime.run;

import dev.berth.runtime.domain.TenantId;
import java.util.Objects;
import java.util.UUID;

/**
 * Ownership of a running run by one process. Every write of the run carries the epoch; a
 * write with a stale epoch is rejected by the store.
 */
public record Lease(UUID runId, UUID sessionId, TenantId tenant, String owner, long epoch) {
    public Lease {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(owner, "owner");
    }
}
