package dev.berth.runtime.memory;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Long-term memory records, pinned blocks and actor erasure. Every method is scoped by tenant;
 * records past their expiry are never returned. Threading and errors as {@link AgentStore}.
 */
public interface MemoryStore {

    /**
     * Stores a memory; with a key, replaces the memory of the same namespace, kind and key
     * (consolidation) and keeps its id.
     */
    default Uni<MemoryRecord> upsert(TenantId tenant, NewMemory memory) {
        return upsert(tenant, memory, Optional.empty());
    }

    /**
     * As {@link #upsert(TenantId, NewMemory)}, claiming the client's idempotency key in the same
     * transaction (see {@link dev.berth.runtime.port.SessionStore#create(dev.berth.runtime.domain.NewSession, Optional)}).
     */
    Uni<MemoryRecord> upsert(TenantId tenant, NewMemory memory, Optional<RequestKey> key);

    Uni<Optional<MemoryRecord>> find(TenantId tenant, UUID id);

    /** Live records with the given ids, in no particular order. */
    Uni<List<MemoryRecord>> findAll(TenantId tenant, Collection<UUID> ids);

    /** Replaces content and embedding (and expiry when not null); empty when there is no such record. */
    Uni<Optional<MemoryRecord>> update(TenantId tenant, UUID id, String content, float[] embedding,
            java.time.Instant expiresAt);

    Uni<Boolean> delete(TenantId tenant, UUID id);

    /** Newest first. */
    Uni<Page<MemoryRecord>> list(TenantId tenant, String namespace, String cursor, int limit);

    /** The namespace's change counter: 0 for a namespace that never had a memory. One indexed row. */
    Uni<Long> version(TenantId tenant, String namespace);

    /** All live embeddings of the namespace, with the counter they are current for. */
    Uni<NamespaceVectors> vectors(TenantId tenant, String namespace);

    /** The blocks of the given namespaces, by namespace then label. */
    Uni<List<MemoryBlock>> blocks(TenantId tenant, List<String> namespaces);

    /** Creates or replaces a block. */
    default Uni<MemoryBlock> putBlock(TenantId tenant, MemoryBlock block, String actorId) {
        return putBlock(tenant, block, actorId, Optional.empty());
    }

    /** As {@link #putBlock(TenantId, MemoryBlock, String)}, claiming the client's idempotency key with it. */
    Uni<MemoryBlock> putBlock(TenantId tenant, MemoryBlock block, String actorId, Optional<RequestKey> key);

    Uni<Boolean> deleteBlock(TenantId tenant, String namespace, String label);

    /**
     * Deletes everything about an actor in one transaction: sessions (with their events, runs and
     * jobs), memories and blocks in {@code actors/{id}}, in the namespaces of the actor's
     * sessions, and any memory or block marked as about the actor.
     */
    Uni<Erasure> eraseActor(TenantId tenant, String actorId);

    /** Deletes up to {@code limit} expired memories; safe on every process at once. */
    Uni<Integer> deleteExpired(int limit);
}
