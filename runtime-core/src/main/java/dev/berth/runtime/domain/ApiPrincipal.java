package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Who a request acts as: the tenant of its credential (an API key or an OIDC token), the
 * credential's roles and, for an {@link Role#ACTOR} credential, the end user it stands for.
 *
 * @param keyId    the API key; null for a token
 * @param operator the tenant is the operator tenant, whose admins may create tenants
 * @param actorId  the end user of an actor credential; null for any other
 * @param expiresAt when the credential stops working; null for never
 * @param subject  who did something, as recorded with what was done: {@code key:<key id>} for a key,
 *                 {@code oidc:<issuer>#<subject claim>} for a token (ADR 0030)
 */
public record ApiPrincipal(TenantId tenant, UUID keyId, Set<Role> roles, String actorId, boolean operator,
        Instant expiresAt, String subject) {
    public ApiPrincipal {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
        if (roles.contains(Role.ACTOR) != (actorId != null)) {
            throw new IllegalArgumentException("an actor credential, and only one, names its actorId");
        }
    }

    /** The principal of an API key. */
    public ApiPrincipal(TenantId tenant, UUID keyId, Set<Role> roles, String actorId, boolean operator,
            Instant expiresAt) {
        this(tenant, Objects.requireNonNull(keyId, "keyId"), roles, actorId, operator, expiresAt, "key:" + keyId);
    }

    /** The principal of a verified OIDC token; {@code subject} is {@code oidc:<issuer>#<subject claim>}. */
    public static ApiPrincipal ofToken(TenantId tenant, Set<Role> roles, String actorId, boolean operator,
            Instant expiresAt, String subject) {
        return new ApiPrincipal(tenant, null, roles, actorId, operator, expiresAt, subject);
    }

    public boolean admin() {
        return roles.contains(Role.ADMIN);
    }

    /** Sees only the objects of its own {@link #actorId()}. */
    public boolean actor() {
        return roles.contains(Role.ACTOR);
    }
}
