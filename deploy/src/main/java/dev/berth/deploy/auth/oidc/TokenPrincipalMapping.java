package dev.berth.deploy.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a verified token's claims as an issuer's mapping says: the Berth tenant (the issuer's, or a
 * claim's), the roles (claim values that are Berth role names; others are ignored), the end user (the
 * subject claim). What does not fit is a {@link Refusal} that says why (a 403: the token is genuine,
 * it just grants nothing in Berth).
 */
final class TokenPrincipalMapping {
    private TokenPrincipalMapping() {
    }

    /** What a verified token grants, before its tenant is looked up. */
    record Grant(TenantId tenant, Set<Role> roles, String actorId, String subject, Instant expiresAt) {
    }

    /** A verified token that maps to no usable principal. */
    static final class Refusal extends RuntimeException {
        Refusal(String detail) {
            super(detail, null, false, false);
        }
    }

    static Grant map(OidcIssuer issuer, OidcToken token) {
        String user = text(token.claim(issuer.subjectClaim()));
        if (user == null) {
            throw new Refusal("the token has no '" + issuer.subjectClaim() + "' claim naming its user");
        }
        try {
            InputLimits.identifier(issuer.subjectClaim(), user);
        } catch (ValidationException e) {
            throw new Refusal("the token's '" + issuer.subjectClaim() + "' claim is not a usable actor id");
        }
        Set<Role> roles = roles(token.claim(issuer.rolesClaim()));
        if (roles.isEmpty()) {
            throw new Refusal("the token's '" + issuer.rolesClaim()
                    + "' claim holds none of Berth's roles: admin, developer, operator, service, actor");
        }
        if (roles.contains(Role.ACTOR) && roles.size() > 1) {
            throw new Refusal("an actor token stands for one end user and holds no other role");
        }
        JsonNode exp = token.claims().path("exp");
        Instant expiresAt = exp.canConvertToLong() ? Instant.ofEpochSecond(exp.asLong()) : null;
        return new Grant(tenant(issuer, token), roles, roles.contains(Role.ACTOR) ? user : null,
                issuer.subject(user), expiresAt);
    }

    private static TenantId tenant(OidcIssuer issuer, OidcToken token) {
        if (issuer.tenant().isPresent()) {
            return issuer.tenant().get();
        }
        String claim = issuer.tenantClaim().orElseThrow();
        String value = text(token.claim(claim));
        try {
            return new TenantId(UUID.fromString(value == null ? "" : value));
        } catch (IllegalArgumentException e) {
            throw new Refusal("the token's '" + claim + "' claim names no Berth tenant");
        }
    }

    /** A role claim is an array of names (Entra, Keycloak) or one space-separated string. */
    private static Set<Role> roles(JsonNode claim) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (claim.isArray()) {
            claim.forEach(value -> {
                if (value.isTextual()) {
                    Role.parse(value.asText()).ifPresent(roles::add);
                }
            });
        } else if (claim.isTextual()) {
            for (String name : claim.asText().split(" ")) {
                Role.parse(name).ifPresent(roles::add);
            }
        }
        return roles;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
