package dev.berth.runtime.port;

import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants and their API keys. Keys are stored only as SHA-256 hashes. Threading and errors as
 * {@link AgentStore}.
 */
public interface AccessStore {

    /**
     * On an empty database, creates the operator tenant and an admin key with the given hash,
     * once across all processes.
     *
     * @return true when this call created them
     */
    Uni<Boolean> bootstrapIfEmpty(byte[] keyHash, String keyPrefix);

    /** The principal of a live (not revoked) key. */
    Uni<Optional<ApiPrincipal>> authenticate(byte[] keyHash);

    /**
     * Creates a tenant and its first admin key ({@code admin}) in one transaction, claiming the
     * idempotency key of the {@code caller}'s request in it (see
     * {@link SessionStore#create(dev.berth.runtime.domain.NewSession, Optional)}).
     *
     * @return the admin key; its {@code tenantId} is the new tenant's
     */
    Uni<ApiKeyInfo> createTenant(String name, byte[] adminKeyHash, String adminKeyPrefix, TenantId caller,
            Optional<RequestKey> key);

    default Uni<ApiKeyInfo> createKey(TenantId tenant, String name, boolean admin, byte[] keyHash, String keyPrefix) {
        return createKey(tenant, name, admin, keyHash, keyPrefix, Optional.empty());
    }

    /** As {@link #createKey(TenantId, String, boolean, byte[], String)}, claiming the tenant's idempotency key with it. */
    Uni<ApiKeyInfo> createKey(TenantId tenant, String name, boolean admin, byte[] keyHash, String keyPrefix,
            Optional<RequestKey> key);

    Uni<List<ApiKeyInfo>> listKeys(TenantId tenant);

    /** @return false when the tenant has no such live key */
    Uni<Boolean> revokeKey(TenantId tenant, UUID keyId);
}
