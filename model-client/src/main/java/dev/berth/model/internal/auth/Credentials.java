package dev.berth.model.internal.auth;

import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.internal.resilience.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/** Creates the {@link CredentialProvider} for a deployment's {@link Auth}. */
public final class Credentials {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private Credentials() {
    }

    public static CredentialProvider forDeployment(Vertx vertx, WebClient web, Deployment deployment, Ticker ticker) {
        return switch (deployment.auth()) {
            case Auth.None none -> CredentialProvider.fixed(null);
            case Auth.ApiKey key -> CredentialProvider.fixed(new AuthHeader("api-key", key.key()));
            case Auth.Bearer bearer -> CredentialProvider.fixed(new AuthHeader("Authorization", "Bearer " + bearer.token()));
            case Auth.EntraClientSecret e -> new EntraTokenProvider(web, e.authorityHost(), e.tenantId(),
                    () -> Uni.createFrom().item(MultiMap.caseInsensitiveMultiMap()
                            .add("grant_type", "client_credentials").add("client_id", e.clientId())
                            .add("client_secret", e.clientSecret()).add("scope", e.scope())),
                    ticker, deployment.id());
            case Auth.WorkloadIdentity w -> new EntraTokenProvider(web, w.authorityHost(), w.tenantId(),
                    // re-read on every refresh: the kubelet rotates the projected token
                    () -> vertx.fileSystem().readFile(w.tokenFile().toString()).map(b -> MultiMap
                            .caseInsensitiveMultiMap().add("grant_type", "client_credentials")
                            .add("client_id", w.clientId()).add("scope", w.scope())
                            .add("client_assertion_type", JWT_BEARER).add("client_assertion", b.toString().trim())),
                    ticker, deployment.id());
        };
    }
}
