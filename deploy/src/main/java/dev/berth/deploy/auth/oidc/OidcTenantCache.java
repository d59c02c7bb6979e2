package dev.berth.deploy.auth.oidc;

import dev.berth.deploy.auth.LiveLookupCache;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AccessStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the tenant a token names exists (and is the operator tenant), remembered as long as a key
 * is ({@code berth.api.key-cache-ttl}), so a busy token holder costs no lookup per request. Unknown
 * tenants are not remembered: a tenant created a moment ago works at once.
 */
@ApplicationScoped
public class OidcTenantCache {
    private final AccessStore access;
    private final LiveLookupCache<TenantId, Boolean> entries;

    @Inject
    public OidcTenantCache(AccessStore access,
            @ConfigProperty(name = "berth.api.key-cache-ttl", defaultValue = "5s") Duration ttl) {
        this.access = access;
        this.entries = new LiveLookupCache<>(ttl);
    }

    /** Whether the tenant is the operator tenant; empty when there is no such tenant. */
    Uni<Optional<Boolean>> operator(TenantId tenant) {
        return entries.get(tenant, operator -> true, () -> access.tenantOperator(tenant));
    }
}
