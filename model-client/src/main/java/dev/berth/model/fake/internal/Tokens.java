package dev.berth.model.fake.internal;

import dev.berth.model.internal.ModelJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake Microsoft Entra ID token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}) for the
 * client-credentials flow with a client secret or a federated client assertion. A secret or
 * assertion equal to {@code invalid} is refused, like a wrong one would be; when the fake has an
 * api key, only the key is a valid secret or assertion (so no one without it gets a token).
 */
final class Tokens {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private Tokens() {
    }

    static void handle(HttpServerRequest req, Buffer buf, FakeState state) {
        state.tokenRequests.incrementAndGet();
        Map<String, String> form = form(buf.toString());
        var response = req.response().putHeader("content-type", "application/json");
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        boolean assertionType = JWT_BEARER.equals(form.get("client_assertion_type"));
        String key = state.options.apiKey();
        boolean credentialOk = key == null
                ? (secret != null && !secret.equals("invalid")) || (assertion != null && !assertion.equals("invalid") && assertionType)
                : FakeAccess.matches(key, secret) || (FakeAccess.matches(key, assertion) && assertionType);
        if (!"client_credentials".equals(form.get("grant_type")) || form.get("client_id") == null || !credentialOk
                || form.get("scope") == null) {
            response.setStatusCode(401).end(ModelJson.object().put("error", "invalid_client")
                    .put("error_description", "AADSTS7000215: Invalid client secret provided.").toString());
            return;
        }
        String token = "fake-entra-token-" + ChatCompletions.newId("");
        state.issuedTokens.add(token);
        long expiresIn = state.options.tokenLifetime().toSeconds();
        response.end(ModelJson.object().put("token_type", "Bearer").put("expires_in", expiresIn)
                .put("ext_expires_in", expiresIn).put("access_token", token).toString());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
