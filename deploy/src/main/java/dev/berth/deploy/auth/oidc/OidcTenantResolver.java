package dev.berth.deploy.auth.oidc;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells quarkus-oidc which configured issuer verifies the current token: the one {@link OidcTokenAuth}
 * chose by the token's {@code iss} and left in the routing context. quarkus-oidc keeps one verifier per
 * issuer (its JWKS included) by the tenant id, so each issuer's keys are fetched once, not per request.
 * With no issuer chosen, it answers null: quarkus-oidc's default tenant, which has no server and is off.
 */
@ApplicationScoped
public class OidcTenantResolver implements TenantConfigResolver {
    static final String ISSUER = "berth.oidc.issuer";

    private final Map<String, OidcTenantConfig> configs = new ConcurrentHashMap<>();

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> request) {
        OidcIssuer issuer = context.get(ISSUER);
        return Uni.createFrom().item(issuer == null ? null
                : configs.computeIfAbsent(issuer.name(), name -> issuer.tenantConfig()));
    }
}
