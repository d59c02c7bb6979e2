package dev.berth.deploy.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Optional;

/**
 * A bearer credential read as a JWT, before verification: only to tell a token from an API key and
 * to find the issuer that must verify it. Nothing read here is trusted until quarkus-oidc has checked
 * the signature over these very bytes; then {@link #claims()} are the verified claims.
 */
public record OidcToken(String raw, JsonNode claims) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_PREFIX = "brt_";

    /**
     * Whether the credential has a JWT's shape (three dot-separated parts): API keys ({@code brt_} and
     * base64url, which has no dot) never do, so they take the key path at the cost of this scan.
     */
    public static boolean jwtShaped(String credential) {
        if (credential.startsWith(KEY_PREFIX)) {
            return false;
        }
        int first = credential.indexOf('.');
        int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
        return second > 0 && credential.indexOf('.', second + 1) < 0;
    }

    /** The token's header and claims decoded; empty when they are not base64url JSON objects. */
    public static Optional<OidcToken> read(String credential) {
        String[] parts = credential.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new OidcToken(credential, claims));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code iss} claim, when it is a string. */
    public Optional<String> issuer() {
        JsonNode iss = claims.get("iss");
        return iss != null && iss.isTextual() ? Optional.of(iss.asText()) : Optional.empty();
    }

    /** The claim at a dotted path ({@code realm_access.roles}); missing when any step is absent. */
    public JsonNode claim(String path) {
        JsonNode node = claims;
        for (String step : path.split("\\.")) {
            node = node.path(step);
        }
        return node;
    }
}
