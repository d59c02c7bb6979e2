package dev.berth.testsupport.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer over real HTTP on loopback, for tests: it serves
 * {@code /.well-known/openid-configuration} and a JWKS, and signs RS256 tokens (JWS compact form, made
 * here with {@code java.security}) with real RSA keys. It can rotate its signing key: the new key is
 * published and the old one removed from the JWKS, as an issuer does after a key compromise.
 *
 * <p>Thread-safe: tokens may be signed while Berth fetches the JWKS.
 */
public final class TestIssuer implements AutoCloseable {
    private final HttpServer server;
    private final String issuer;
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile SigningKey current;
    private volatile List<SigningKey> published;

    /** A key pair with the id its tokens name in their {@code kid} header. */
    public record SigningKey(String kid, KeyPair pair) {
        public static SigningKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return new SigningKey(UUID.randomUUID().toString(), generator.generateKeyPair());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("RSA is missing from this JVM", e);
            }
        }
    }

    private TestIssuer(HttpServer server, String realmPath) {
        this.server = server;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + realmPath;
        this.current = SigningKey.generate();
        this.published = List.of(current);
    }

    /** Starts an issuer on a free loopback port; its URL ends with {@code realmPath} (e.g. {@code /realms/a}). */
    public static TestIssuer start(String realmPath) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestIssuer issuer = new TestIssuer(server, realmPath);
            server.createContext(realmPath + "/.well-known/openid-configuration", issuer::discovery);
            server.createContext(realmPath + "/jwks", issuer::jwks);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issuer URL: the {@code iss} of its tokens. */
    public String issuer() {
        return issuer;
    }

    /** How often the JWKS was fetched. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** The key that signs new tokens. */
    public SigningKey currentKey() {
        return current;
    }

    /** Signs with a new key, publishes it and removes every older key from the JWKS. */
    public SigningKey rotate() {
        SigningKey next = SigningKey.generate();
        current = next;
        published = List.of(next);
        return next;
    }

    /**
     * A token signed with the current key: {@code iss}, {@code iat} and {@code exp} (five minutes on)
     * are filled in unless the claims give them.
     */
    public String sign(Map<String, ?> claims) {
        return sign(current, claims);
    }

    /** A token signed with any key (a removed one, or one the issuer never published). */
    public String sign(SigningKey key, Map<String, ?> claims) {
        Map<String, Object> body = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        body.put("iss", issuer);
        body.put("iat", now);
        body.put("exp", now + 300);
        body.putAll(claims);
        String header = base64(Json.write(Map.of("alg", "RS256", "typ", "JWT", "kid", key.kid())));
        String signingInput = header + "." + base64(Json.write(body));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.pair().getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is missing from this JVM", e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + "/jwks");
        document.put("authorization_endpoint", issuer + "/authorize");
        document.put("token_endpoint", issuer + "/token");
        document.put("response_types_supported", List.of("code"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        answer(exchange, Json.write(document));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        List<Object> keys = new ArrayList<>();
        for (SigningKey key : published) {
            RSAPublicKey publicKey = (RSAPublicKey) key.pair().getPublic();
            keys.add(Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", key.kid(),
                    "n", unsigned(publicKey.getModulus()), "e", unsigned(publicKey.getPublicExponent())));
        }
        answer(exchange, Json.write(Map.of("keys", keys)));
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JWK's big integer: base64url of its unsigned big-endian bytes. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
