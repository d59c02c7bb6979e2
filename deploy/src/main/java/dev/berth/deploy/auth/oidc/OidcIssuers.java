package dev.berth.deploy.auth.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured issuers, checked once when the application starts (a bad setting stops the start
 * with its name), found by the {@code iss} of a token. Several issuers may be configured, one per
 * enterprise tenant for instance; each verifies its own tokens with its own keys.
 */
@ApplicationScoped
public class OidcIssuers {
    private final Map<String, OidcIssuer> byIssuerUrl = new HashMap<>();

    @Inject
    public OidcIssuers(OidcConfig config) {
        config.issuers().forEach((name, issuer) -> {
            OidcIssuer checked = OidcIssuer.of(name, issuer);
            OidcIssuer twice = byIssuerUrl.put(checked.issuer(), checked);
            if (twice != null) {
                throw new IllegalArgumentException("berth.auth.oidc.issuers." + twice.name() + " and ." + name
                        + " name the same issuer " + checked.issuer());
            }
        });
    }

    /** Whether any issuer is configured: without one, bearer tokens are refused without further work. */
    public boolean any() {
        return !byIssuerUrl.isEmpty();
    }

    /** The issuer whose URL is exactly {@code iss}. */
    public Optional<OidcIssuer> byIssuer(String iss) {
        return Optional.ofNullable(byIssuerUrl.get(iss));
    }
}
