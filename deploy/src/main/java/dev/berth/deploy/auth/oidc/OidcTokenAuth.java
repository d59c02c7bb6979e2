package dev.berth.deploy.auth.oidc;

import dev.berth.runtime.domain.ApiPrincipal;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Authenticates a bearer credential that has a JWT's shape: finds its issuer among the configured ones,
 * has quarkus-oidc verify it (signature with the issuer's JWKS, issuer, audience, expiry), then maps its
 * claims to a principal ({@link TokenPrincipalMapping}) of an existing tenant.
 *
 * <p>quarkus-oidc runs here only: authentication is lazy ({@code quarkus.http.auth.proactive=false}), and
 * nothing but this class asks for the request's identity, so an API key request never reaches it.
 */
@ApplicationScoped
public class OidcTokenAuth {
    private static final Logger LOG = Logger.getLogger(OidcTokenAuth.class);
    /** quarkus-oidc's own failure handler would end the response; Berth answers with a problem instead. */
    private static final BiConsumer<RoutingContext, Throwable> ANSWERED_BY_BERTH = (context, failure) -> {
    };

    private final OidcIssuers issuers;
    private final OidcTenantCache tenants;

    @Inject
    public OidcTokenAuth(OidcIssuers issuers, OidcTenantCache tenants) {
        this.issuers = issuers;
        this.tenants = tenants;
    }

    /** What came of a token. */
    public sealed interface Outcome {
        /** Verified and mapped. */
        record Accepted(ApiPrincipal principal) implements Outcome {
        }

        /** 401: not a token Berth can verify. */
        record Unauthenticated(String detail) implements Outcome {
        }

        /** 403: a genuine token that grants nothing in Berth. */
        record Forbidden(String detail) implements Outcome {
        }
    }

    public Uni<Outcome> authenticate(RoutingContext context, String credential) {
        if (!issuers.any()) {
            return unauthenticated("bearer tokens are not accepted here: no OIDC issuer is configured");
        }
        Optional<OidcToken> token = OidcToken.read(credential);
        Optional<OidcIssuer> issuer = token.flatMap(OidcToken::issuer).flatMap(issuers::byIssuer);
        if (issuer.isEmpty()) {
            return unauthenticated("the token is malformed or its issuer is not configured");
        }
        context.put(OidcTenantResolver.ISSUER, issuer.get());
        context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, ANSWERED_BY_BERTH);
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(context, null);
        return identity.onItemOrFailure().transformToUni((verified, failure) -> {
            if (failure != null || !verifiedThisToken(verified, credential)) {
                LOG.debugf("token of %s refused: %s", issuer.get().issuer(), failure == null ? "no identity" : failure);
                return unauthenticated("the token is invalid, expired, not signed by a key of its issuer,"
                        + " or not for this audience");
            }
            return principal(issuer.get(), token.get());
        });
    }

    private Uni<Outcome> principal(OidcIssuer issuer, OidcToken token) {
        TokenPrincipalMapping.Grant grant;
        try {
            grant = TokenPrincipalMapping.map(issuer, token);
        } catch (TokenPrincipalMapping.Refusal refusal) {
            return Uni.createFrom().item(new Outcome.Forbidden(refusal.getMessage()));
        }
        return tenants.operator(grant.tenant()).map(operator -> operator.<Outcome>map(isOperator ->
                        new Outcome.Accepted(ApiPrincipal.ofToken(grant.tenant(), grant.roles(), grant.actorId(),
                                isOperator, grant.expiresAt(), grant.subject())))
                .orElseGet(() -> new Outcome.Forbidden("the token's tenant is not a Berth tenant")));
    }

    /** The identity is quarkus-oidc's for exactly the credential whose claims Berth maps. */
    private static boolean verifiedThisToken(SecurityIdentity identity, String credential) {
        if (identity == null || identity.isAnonymous()) {
            return false;
        }
        AccessTokenCredential verified = identity.getCredential(AccessTokenCredential.class);
        return verified != null && credential.equals(verified.getToken());
    }

    private static Uni<Outcome> unauthenticated(String detail) {
        return Uni.createFrom().item(new Outcome.Unauthenticated(detail));
    }
}
