package dev.berth.deploy.auth;

import dev.berth.runtime.domain.ApiPrincipal;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Remembers keys found live for a short time, so that a busy client costs no key lookup per
 * request. A key revoked through this process stops working at once (the cache is cleared);
 * on other processes within {@code berth.api.key-cache-ttl}. Unknown keys are never cached,
 * so a new key works at once everywhere.
 */
@ApplicationScoped
public class KeyCache {
    private final LiveLookupCache<ByteBuffer, ApiPrincipal> entries;

    @Inject
    public KeyCache(@ConfigProperty(name = "berth.api.key-cache-ttl", defaultValue = "5s") Duration ttl) {
        this.entries = new LiveLookupCache<>(ttl);
    }

    /** The principal of the key with this hash: remembered, or looked up and remembered when live. */
    public Uni<Optional<ApiPrincipal>> get(byte[] keyHash, Supplier<Uni<Optional<ApiPrincipal>>> lookup) {
        // An expiring key is remembered no longer than it lives.
        return entries.get(ByteBuffer.wrap(keyHash.clone()), principal -> !expired(principal), lookup);
    }

    private static boolean expired(ApiPrincipal principal) {
        return principal.expiresAt() != null && !principal.expiresAt().isAfter(Instant.now());
    }

    /** Forgets every key, after a revocation. */
    public void clear() {
        entries.clear();
    }
}
