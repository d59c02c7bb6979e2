package dev.berth.runtime.port;

import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.NewApiKey;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Revocation;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants and their API keys. Keys are stored only as keyed hashes (HMAC-SHA256 with the server's
 * secret; rows of before ADR 0028 hold a plain SHA-256 until their first use). Threading and
 * errors as {@link AgentStore}.
 */
public interface AccessStore {

    /**
     * On an empty database, creates the operator tenant and an admin key with the given hash,
     * once across all processes.
     *
     * @return true when this call created them
     */
    Uni<Boolean> bootstrapIfEmpty(byte[] keyHash);

    /**
     * The principal of a live key (not revoked, not expired): the row whose keyed hash is
     * {@code keyHash}, or an older row still holding {@code legacyHash} (plain SHA-256), which is
     * rehashed to {@code keyHash} on the way.
     */
    Uni<Optional<ApiPrincipal>> authenticate(byte[] keyHash, byte[] legacyHash);

    /**
     * Whether the tenant exists and is the operator tenant: empty when there is no such tenant. A
     * verified OIDC token names its tenant by a claim or its issuer (ADR 0030); this checks it.
     */
    Uni<Optional<Boolean>> tenantOperator(TenantId tenant);

    /**
     * Creates a tenant and its first admin key ({@code admin}) in one transaction, claiming the
     * idempotency key of the {@code caller}'s request in it (see
     * {@link SessionStore#create(dev.berth.runtime.domain.NewSession, Optional)}).
     *
     * @return the admin key; its {@code tenantId} is the new tenant's
     */
    Uni<ApiKeyInfo> createTenant(String name, byte[] adminKeyHash, TenantId caller, Optional<RequestKey> key);

    /** Stores a key, claiming the tenant's idempotency key with it. */
    Uni<ApiKeyInfo> createKey(NewApiKey newKey, Optional<RequestKey> key);

    /** The tenant's keys (live, expired and revoked), oldest first, a page at a time. */
    Uni<Page<ApiKeyInfo>> listKeys(TenantId tenant, String cursor, int limit);

    /**
     * Revokes a live key, unless it is the tenant's last live admin key: decided and done in one
     * statement, so two revocations racing for the last two admin keys leave one.
     */
    Uni<Revocation> revokeKey(TenantId tenant, UUID keyId);
}
