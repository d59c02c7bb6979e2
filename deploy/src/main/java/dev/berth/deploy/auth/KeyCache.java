package dev.berth.deploy.auth;

import dev.berth.runtime.domain.ApiPrincipal;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Bounds memory if a client cycles through many keys; past it, the cache starts over. */
    private static final int MAX_ENTRIES = 10_000;

    private final Duration ttl;
    private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public KeyCache(@ConfigProperty(name = "berth.api.key-cache-ttl", defaultValue = "5s") Duration ttl) {
        this.ttl = ttl;
    }

    /** The principal of the key with this hash: remembered, or looked up and remembered when live. */
    public Uni<Optional<ApiPrincipal>> get(byte[] keyHash, Supplier<Uni<Optional<ApiPrincipal>>> lookup) {
        ByteBuffer key = ByteBuffer.wrap(keyHash.clone());
        long now = System.nanoTime();
        Entry entry = entries.get(key);
        // An expiring key is remembered no longer than it lives.
        if (entry != null && now - entry.storedAt() < ttl.toNanos() && !expired(entry.principal())) {
            return Uni.createFrom().item(Optional.of(entry.principal()));
        }
        return lookup.get().invoke(found -> {
            if (found.isEmpty() || ttl.isZero()) {
                entries.remove(key);
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry(found.get(), now));
        });
    }

    private static boolean expired(ApiPrincipal principal) {
        return principal.expiresAt() != null && !principal.expiresAt().isAfter(Instant.now());
    }

    /** Forgets every key, after a revocation. */
    public void clear() {
        entries.clear();
    }

    private record Entry(ApiPrincipal principal, long storedAt) {
    }
}
