package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.UUID;

/** An API key as listed: never the key itself, only its first characters. */
public record ApiKeyInfo(UUID id, TenantId tenant, String name, String prefix, boolean admin, Instant createdAt,
        Instant revokedAt) {
}
