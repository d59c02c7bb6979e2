package dev.berth.model.fake.internal;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use a fake that has an api key ({@link dev.berth.model.fake.FakeOptions#apiKey()}):
 * model routes take the key (as {@code api-key} or a bearer token, the way the model client sends
 * it) or a token the fake's Entra ID endpoint issued; control routes take the key only. A fake
 * without a key lets everyone in.
 */
final class FakeAccess {
    private static final String AZURE_MESSAGE = "Access denied due to invalid subscription key or wrong API "
            + "endpoint. Make sure to provide a valid key for an active subscription.";
    private static final String OPENAI_MESSAGE = "Incorrect API key provided.";

    private final FakeState state;

    FakeAccess(FakeState state) {
        this.state = state;
    }

    boolean allowsModel(HttpServerRequest req) {
        String bearer = bearer(req);
        return allowsControl(req) || (bearer != null && state.issuedTokens.contains(bearer));
    }

    /** {@link #allowsModel(HttpServerRequest)} from the two headers, for WebSocket upgrades. */
    boolean allowsModel(String apiKeyHeader, String authorization) {
        String key = state.options.apiKey();
        String bearer = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        return key == null || matches(key, apiKeyHeader) || matches(key, bearer)
                || (bearer != null && state.issuedTokens.contains(bearer));
    }

    boolean allowsControl(HttpServerRequest req) {
        String key = state.options.apiKey();
        return key == null || matches(key, req.getHeader("api-key")) || matches(key, bearer(req));
    }

    /** Whether {@code given} is the key; compared in constant time, so timing tells nothing of it. */
    static boolean matches(String key, String given) {
        return given != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** 401 in the provider's error shape: Azure's on {@code /openai/...} routes, OpenAI's elsewhere. */
    static void refuse(HttpServerRequest req) {
        boolean azure = req.path().startsWith("/openai/");
        String body = azure ? ChatCompletions.error("401", AZURE_MESSAGE, 401).toString()
                : ChatCompletions.error("invalid_api_key", OPENAI_MESSAGE, 401).toString();
        req.response().setStatusCode(401).putHeader("content-type", "application/json").end(body);
    }

    private static String bearer(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }
}
