package dev.berth.deploy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: {@code brt_} and 32 random bytes. Stored only as keyed hashes ({@link KeyHasher}); the
 * plain SHA-256 here is how rows of before ADR 0028 were stored, and finds them once to rehash them.
 */
public final class ApiKeys {
    static final String PREFIX = "brt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The plain SHA-256 of rows stored before ADR 0028. */
    public static byte[] legacyHash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

}
