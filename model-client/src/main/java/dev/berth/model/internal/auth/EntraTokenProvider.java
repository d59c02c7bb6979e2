package dev.berth.model.internal.auth;

import dev.berth.model.ModelException;
import dev.berth.model.internal.ModelJson;
import dev.berth.model.internal.resilience.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Microsoft Entra ID tokens by the OAuth 2.0 client-credentials flow (client secret or a
 * federated client assertion), cached and refreshed before they expire. Concurrent callers
 * share one token request. When a refresh fails but the cached token is still valid, the
 * cached token keeps being used. Secrets and tokens are never logged.
 */
public final class EntraTokenProvider implements CredentialProvider {
    private static final Logger LOG = Logger.getLogger(EntraTokenProvider.class);
    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toNanos();

    private final WebClient web;
    private final String tokenUrl;
    private final Supplier<Uni<MultiMap>> form;
    private final Ticker ticker;
    private final String description;
    private final AtomicReference<Token> cached = new AtomicReference<>();
    private final AtomicReference<Uni<Token>> inflight = new AtomicReference<>();

    private record Token(String value, long refreshAt, long expiresAt) {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /**
     * @param form supplies the token-request form (read lazily: a federated token file rotates)
     */
    public EntraTokenProvider(WebClient web, String authorityHost, String tenantId, Supplier<Uni<MultiMap>> form,
            Ticker ticker, String description) {
        this.web = web;
        String host = authorityHost.endsWith("/") ? authorityHost.substring(0, authorityHost.length() - 1) : authorityHost;
        this.tokenUrl = host + "/" + tenantId + "/oauth2/v2.0/token";
        this.form = form;
        this.ticker = ticker;
        this.description = description;
    }

    @Override
    public Uni<AuthHeader> header() {
        Token t = cached.get();
        long now = ticker.nanos();
        if (t != null && now < t.refreshAt()) {
            return Uni.createFrom().item(bearer(t));
        }
        Uni<Token> refresh = refresh();
        if (t != null && now < t.expiresAt()) {
            Token stillValid = t;
            return refresh.onFailure().recoverWithItem(stillValid).map(this::bearer);
        }
        return refresh.map(this::bearer);
    }

    @Override
    public void invalidate() {
        cached.set(null);
    }

    private AuthHeader bearer(Token t) {
        return new AuthHeader("Authorization", "Bearer " + t.value());
    }

    private Uni<Token> refresh() {
        Uni<Token> existing = inflight.get();
        if (existing != null) {
            return existing;
        }
        Uni<Token> fresh = fetch()
                .onItem().invoke(cached::set)
                .onTermination().invoke(() -> inflight.set(null))
                .memoize().indefinitely();
        return inflight.compareAndSet(null, fresh) ? fresh : refresh();
    }

    private Uni<Token> fetch() {
        long requestedAt = ticker.nanos();
        return form.get().chain(f -> web.postAbs(tokenUrl).putHeader("accept", "application/json").sendForm(f))
                .onFailure(f -> !(f instanceof ModelException)).transform(f -> new ModelException.Unavailable(
                        "token endpoint unreachable for " + description + ": " + f.getClass().getSimpleName(), 0, f))
                .map(resp -> {
                    if (resp.statusCode() != 200) {
                        // the error body may echo the client id but never the secret; still, keep it out
                        throw new ModelException.Authentication("Entra ID refused the token request for "
                                + description + " (HTTP " + resp.statusCode() + ")", resp.statusCode());
                    }
                    var body = ModelJson.parse(resp.bodyAsString());
                    String token = ModelJson.str(body, "access_token");
                    long expiresIn = body.path("expires_in").asLong(3600);
                    if (token == null) {
                        throw new ModelException.Authentication("Entra ID answered without a token for " + description, 200);
                    }
                    long life = Duration.ofSeconds(expiresIn).toNanos();
                    // like the Azure SDKs: refresh five minutes early; short-lived tokens at half-life
                    long refreshIn = life > 2 * FIVE_MINUTES ? life - FIVE_MINUTES : life / 2;
                    LOG.debugf("obtained an Entra ID token for %s, valid %d s", description, expiresIn);
                    return new Token(token, requestedAt + refreshIn, requestedAt + life);
                });
    }
}
