package dev.berth.deploy.auth.oidc;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AccessStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the tenant a token names exists (and is the operator tenant), remembered as long as a key
 * is ({@code berth.api.key-cache-ttl}), so a busy token holder costs no lookup per request. Unknown
 * tenants are not remembered: a tenant created a moment ago works at once.
 */
@ApplicationScoped
public class OidcTenantCache {
    private static final int MAX_ENTRIES = 10_000;

    private final AccessStore access;
    private final Duration ttl;
    private final Map<TenantId, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public OidcTenantCache(AccessStore access,
            @ConfigProperty(name = "berth.api.key-cache-ttl", defaultValue = "5s") Duration ttl) {
        this.access = access;
        this.ttl = ttl;
    }

    /** Whether the tenant is the operator tenant; empty when there is no such tenant. */
    Uni<Optional<Boolean>> operator(TenantId tenant) {
        long now = System.nanoTime();
        Entry entry = entries.get(tenant);
        if (entry != null && now - entry.storedAt() < ttl.toNanos()) {
            return Uni.createFrom().item(Optional.of(entry.operator()));
        }
        return access.tenantOperator(tenant).invoke(found -> {
            if (found.isEmpty() || ttl.isZero()) {
                entries.remove(tenant);
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(tenant, new Entry(found.get(), now));
        });
    }

    private record Entry(boolean operator, long storedAt) {
    }
}
