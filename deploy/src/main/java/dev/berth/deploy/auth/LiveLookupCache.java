package dev.berth.deploy.auth;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Remembers what a lookup found for {@code ttl}, so that a busy client costs no lookup per request.
 * Only what was found is remembered (something created a moment ago works at once); a zero ttl
 * remembers nothing; past {@link #MAX_ENTRIES} the cache starts over, which bounds its memory when
 * a client cycles through many keys. The rule {@link KeyCache} and the OIDC tenant cache share.
 */
public final class LiveLookupCache<K, V> {
    static final int MAX_ENTRIES = 10_000;

    private final Duration ttl;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public LiveLookupCache(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * The value remembered for {@code key} while younger than the ttl and {@code stillGood}, else
     * the lookup's, remembered when found.
     */
    public Uni<Optional<V>> get(K key, Predicate<V> stillGood, Supplier<Uni<Optional<V>>> lookup) {
        long now = System.nanoTime();
        Entry<V> entry = entries.get(key);
        if (entry != null && now - entry.storedAt() < ttl.toNanos() && stillGood.test(entry.value())) {
            return Uni.createFrom().item(Optional.of(entry.value()));
        }
        return lookup.get().invoke(found -> {
            if (found.isEmpty() || ttl.isZero()) {
                entries.remove(key);
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry<>(found.get(), now));
        });
    }

    /** Forgets everything. */
    public void clear() {
        entries.clear();
    }

    private record Entry<V>(V value, long storedAt) {
    }
}
