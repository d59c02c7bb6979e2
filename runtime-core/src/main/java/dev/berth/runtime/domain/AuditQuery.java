package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A page of a tenant's audit trail, newest first. Every filter is optional (null): {@code from} is
 * inclusive, {@code to} exclusive; {@code cursor} is the previous page's {@code nextCursor}.
 */
public record AuditQuery(TenantId tenant, AuditAction action, String principal, String targetType, String targetId,
        Instant from, Instant to, String cursor, int limit) {
    public AuditQuery {
        Objects.requireNonNull(tenant, "tenant");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
