package dev.berth.deploy.auth.oidc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * OIDC issuers whose bearer tokens Berth accepts beside API keys ({@code berth.auth.oidc.*}, ADR 0030).
 * None configured (the default): tokens are refused and API keys work alone, exactly as before.
 */
@ConfigMapping(prefix = "berth.auth.oidc")
public interface OidcConfig {

    /** Issuers by a name of the operator's choosing ({@code berth.auth.oidc.issuers.<name>.*}). */
    Map<String, Issuer> issuers();

    /** One issuer: where its keys are, which tokens it signs for Berth, and how their claims map. */
    interface Issuer {
        /** The issuer URL, exactly as the tokens' {@code iss} claim and its discovery document say. */
        String issuer();

        /** Accepted {@code aud} values (Entra: the app id URI or client id); a token must carry one. */
        List<String> audience();

        /** The Berth tenant of every token of this issuer (one issuer per enterprise tenant, e.g. Entra). */
        Optional<UUID> tenant();

        /** Else: the claim (a dotted path) holding the Berth tenant id, set by the issuer (a Keycloak mapper). */
        Optional<String> tenantClaim();

        /** The claim (a dotted path such as {@code realm_access.roles}) holding the roles: Berth role names. */
        @WithDefault("roles")
        String rolesClaim();

        /** The claim naming the end user: the actor of an {@code actor} token and part of every subject. */
        @WithDefault("sub")
        String subjectClaim();

        /**
         * A token signed with a key the cached JWKS lacks makes Berth fetch the JWKS again, at most once in
         * this interval (a flood of made-up key ids cannot hammer the issuer).
         */
        @WithDefault("1m")
        Duration jwksRefreshInterval();
    }
}
