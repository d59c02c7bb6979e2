package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An API key as listed: never the key itself, nor any of its characters.
 *
 * @param prefix    characters of the key's id, to recognise it in a listing
 * @param actorId   the end user of an actor key; null for any other
 * @param expiresAt when the key stops working; null for never
 */
public record ApiKeyInfo(UUID id, TenantId tenant, String name, String prefix, Set<Role> roles, String actorId,
        Instant createdAt, Instant expiresAt, Instant revokedAt) {
    public ApiKeyInfo {
        roles = Set.copyOf(roles);
    }

    public boolean admin() {
        return roles.contains(Role.ADMIN);
    }
}
