package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A key about to be stored: its id, what it may do, and its keyed hash (the key itself is shown
 * once and never stored).
 *
 * @param actorId   required with {@link Role#ACTOR}, refused without it
 * @param expiresAt null for never
 */
public record NewApiKey(UUID id, TenantId tenant, String name, Set<Role> roles, String actorId, Instant expiresAt,
        byte[] keyHash) {
    public NewApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyHash, "keyHash");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a key holds at least one role");
        }
        if (roles.contains(Role.ACTOR) != (actorId != null)) {
            throw new IllegalArgumentException("an actor key, and only one, names its actorId");
        }
    }
}
