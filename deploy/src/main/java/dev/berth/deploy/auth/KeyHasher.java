package dev.berth.deploy.auth;

import dev.berth.runtime.port.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keyed hashes of API keys: HMAC-SHA256 with the server secret {@code berth.auth.key-secret}, so that
 * someone who can write to {@code api_keys} but does not hold the secret cannot mint a key. Without
 * that setting, a secret generated at first start is kept in the database (ADR 0028: convenient
 * for a first start, no protection against a database leak; production sets the secret).
 */
@ApplicationScoped
public class KeyHasher {
    private static final Logger LOG = Logger.getLogger(KeyHasher.class);
    private static final String ALGORITHM = "HmacSHA256";
    /** A configured secret shorter than this is refused: HMAC is only as strong as its key. */
    static final int MIN_SECRET_CHARS = 32;
    static final String STORED_SECRET = "api-key-hmac";

    private final Optional<String> configured;
    private final ServerSecrets secrets;
    private volatile SecretKeySpec secret;

    @Inject
    public KeyHasher(@ConfigProperty(name = "berth.auth.key-secret") Optional<String> configured, ServerSecrets secrets) {
        this.configured = configured.filter(s -> !s.isBlank());
        this.secrets = secrets;
    }

    /** Reads or creates the secret; once, at start, before any request is served. */
    public void load() {
        if (configured.isPresent()) {
            if (configured.get().length() < MIN_SECRET_CHARS) {
                throw new IllegalStateException("berth.auth.key-secret must have at least " + MIN_SECRET_CHARS
                        + " characters");
            }
            secret = new SecretKeySpec(configured.get().getBytes(StandardCharsets.UTF_8), ALGORITHM);
            return;
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        secret = new SecretKeySpec(secrets.secret(STORED_SECRET, generated).await().atMost(Duration.ofSeconds(30)),
                ALGORITHM);
        LOG.warn("berth.auth.key-secret is not set: API keys are hashed with a secret kept in the database;"
                + " set it (BERTH_AUTH_KEY_SECRET) in production (docs/security.md)");
    }

    public byte[] hash(String key) {
        SecretKeySpec current = secret;
        if (current == null) {
            throw new IllegalStateException("the key secret is not loaded yet");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(current);
            return mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
