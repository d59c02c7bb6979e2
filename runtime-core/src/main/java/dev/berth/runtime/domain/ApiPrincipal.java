package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Who a request acts as: the tenant of its credential, the credential's roles and, for an
 * {@link Role#ACTOR} credential, the end user it stands for.
 *
 * @param operator the tenant is the operator tenant, whose admins may create tenants
 * @param actorId  the end user of an actor credential; null for any other
 * @param expiresAt when the credential stops working; null for never
 */
public record ApiPrincipal(TenantId tenant, UUID keyId, Set<Role> roles, String actorId, boolean operator,
        Instant expiresAt) {
    public ApiPrincipal {
        Objects.requireNonNull(tenant, "tenant");
        roles = Set.copyOf(roles);
        if (roles.contains(Role.ACTOR) != (actorId != null)) {
            throw new IllegalArgumentException("an actor credential, and only one, names its actorId");
        }
    }

    public boolean admin() {
        return roles.contains(Role.ADMIN);
    }

    /** Sees only the objects of its own {@link #actorId()}. */
    public boolean actor() {
        return roles.contains(Role.ACTOR);
    }

    /** Who did something, as recorded with what was done: the key (an OIDC subject later). */
    public String subject() {
        return "key:" + keyId;
    }
}
