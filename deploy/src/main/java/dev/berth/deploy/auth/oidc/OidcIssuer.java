package dev.berth.deploy.auth.oidc;

import dev.berth.runtime.domain.TenantId;
import io.quarkus.oidc.OidcTenantConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One configured issuer, checked at start: its name, its issuer URL, the audiences it signs for Berth,
 * how its claims map to a Berth principal, and the quarkus-oidc tenant that verifies its tokens.
 *
 * @param tenant      the Berth tenant of all its tokens; empty when {@code tenantClaim} names it
 * @param tenantClaim the claim holding the Berth tenant id; empty when {@code tenant} is fixed
 */
public record OidcIssuer(String name, String issuer, List<String> audience, Optional<TenantId> tenant,
        Optional<String> tenantClaim, String rolesClaim, String subjectClaim, Duration jwksRefreshInterval) {

    public OidcIssuer {
        String where = "berth.auth.oidc.issuers." + name + ".";
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException(where + "issuer is required");
        }
        if (audience == null || audience.isEmpty() || audience.stream().anyMatch(String::isBlank)) {
            // Without an audience, any token the issuer signs for any application would do.
            throw new IllegalArgumentException(where + "audience is required");
        }
        if (tenant.isPresent() == tenantClaim.isPresent()) {
            throw new IllegalArgumentException(where + "tenant or " + where + "tenant-claim is required, not both");
        }
        if (jwksRefreshInterval.isNegative()) {
            throw new IllegalArgumentException(where + "jwks-refresh-interval must not be negative");
        }
        audience = List.copyOf(audience);
    }

    static OidcIssuer of(String name, OidcConfig.Issuer config) {
        return new OidcIssuer(name, config.issuer(), config.audience(), config.tenant().map(TenantId::new),
                config.tenantClaim(), config.rolesClaim(), config.subjectClaim(), config.jwksRefreshInterval());
    }

    /**
     * The quarkus-oidc tenant that verifies this issuer's tokens: signature against the issuer's JWKS
     * (found by discovery, fetched again for an unknown key id), {@code iss}, {@code aud}, {@code exp}.
     * Berth does its own claim mapping, so quarkus-oidc's role mapping is not used; introspection is off,
     * so a token that fails local verification is refused without a call to the issuer.
     */
    OidcTenantConfig tenantConfig() {
        return OidcTenantConfig.authServerUrl(issuer)
                .tenantId("berth-" + name)
                .applicationType(io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType.SERVICE)
                .token()
                    .issuer(issuer)
                    .audience(audience)
                    .forcedJwkRefreshInterval(jwksRefreshInterval)
                    .allowJwtIntrospection(false)
                    .allowOpaqueTokenIntrospection(false)
                    .subjectRequired(false)
                    .end()
                .build();
    }

    /** The subject recorded for a token of this issuer: {@code oidc:<issuer>#<user>}. */
    String subject(String user) {
        return "oidc:" + issuer + "#" + user;
    }
}
