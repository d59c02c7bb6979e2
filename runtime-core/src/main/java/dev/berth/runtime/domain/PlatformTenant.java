package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant as the platform operator sees it (ADR 0034).
 *
 * @param platformOwn the operator tenant, the platform's own: it cannot be suspended or deleted
 * @param suspendedAt when it was suspended; null while active
 */
public record PlatformTenant(TenantId id, String name, boolean platformOwn, Instant createdAt, Instant suspendedAt) {
    public PlatformTenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
