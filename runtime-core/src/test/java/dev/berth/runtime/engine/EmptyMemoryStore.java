package dev.berth.runtime.engine;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.Erasure;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.memory.MemoryStore;
import dev.berth.runtime.memory.NamespaceVectors;
import dev.berth.runtime.memory.NewMemory;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Long-term memory with nothing in it, for engine tests whose agents recall nothing (the default
 * policy): no pinned blocks, nothing expired. Writes are refused, loudly: an engine test that
 * writes memory needs a real store.
 */
final class EmptyMemoryStore implements MemoryStore {

    @Override
    public Uni<List<MemoryBlock>> blocks(TenantId tenant, List<String> namespaces) {
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Uni<Integer> deleteExpired(int limit) {
        return Uni.createFrom().item(0);
    }

    @Override
    public Uni<Optional<MemoryRecord>> find(TenantId tenant, UUID id) {
        return Uni.createFrom().item(Optional.empty());
    }

    @Override
    public Uni<List<MemoryRecord>> findAll(TenantId tenant, Collection<UUID> ids) {
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Uni<Long> version(TenantId tenant, String namespace) {
        return Uni.createFrom().item(0L);
    }

    private static <T> Uni<T> refused() {
        return Uni.createFrom().failure(new UnsupportedOperationException("the engine tests' memory is empty and read-only"));
    }

    @Override
    public Uni<MemoryRecord> upsert(TenantId tenant, NewMemory memory, Optional<RequestKey> key) {
        return refused();
    }

    @Override
    public Uni<Optional<MemoryRecord>> update(TenantId tenant, UUID id, String content, float[] embedding,
            Instant expiresAt) {
        return refused();
    }

    @Override
    public Uni<Boolean> delete(TenantId tenant, UUID id) {
        return refused();
    }

    @Override
    public Uni<Page<MemoryRecord>> list(TenantId tenant, String namespace, String cursor, int limit) {
        return refused();
    }

    @Override
    public Uni<NamespaceVectors> vectors(TenantId tenant, String namespace) {
        return refused();
    }

    @Override
    public Uni<MemoryBlock> putBlock(TenantId tenant, MemoryBlock block, String actorId, Optional<RequestKey> key) {
        return refused();
    }

    @Override
    public Uni<Boolean> deleteBlock(TenantId tenant, String namespace, String label) {
        return refused();
    }

    @Override
    public Uni<Erasure> eraseActor(TenantId tenant, String actorId) {
        return refused();
    }
}
