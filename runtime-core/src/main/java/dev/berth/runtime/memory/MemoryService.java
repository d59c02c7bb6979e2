package dev.berth.runtime.memory;

import dev.berth.model.EmbeddingRequest;
import dev.berth.model.ModelClient;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.memory.MemoryStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Long-term memory for the API, the tools, the engine and the extraction jobs: validates,
 * embeds (through the model API) and stores records, ranks them, and manages pinned blocks.
 * Thread safe; non-blocking.
 */
@ApplicationScoped
public class MemoryService {
    public static final int MAX_CONTENT = InputLimits.MAX_MEMORY_CHARS;
    public static final int MAX_BLOCK = InputLimits.MAX_BLOCK_CHARS;
    public static final int MAX_PAGE = InputLimits.MAX_PAGE;
    public static final Set<String> KINDS = Set.of("fact", "preference", "summary", "note");
    /** The id part may be any actor id (1-256 characters, no control characters), agent name or session id. */
    private static final Pattern NAMESPACE = Pattern.compile("(actors|agents|sessions)/[^\\p{Cntrl}]{1,256}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final MemoryStore store;
    private final ModelClient model;
    private final MemoryConfig config;
    private final VectorIndex index;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public MemoryService(MemoryStore store, ModelClient model, MemoryConfig config) {
        this.store = store;
        this.model = model;
        this.config = config;
        this.index = new VectorIndex(store, config.recencyWeight(), config.recencyHalfLife(), config.cachedNamespaces());
    }

    /** A record to store; {@code id} null for a new one. */
    public record Input(String namespace, String kind, String key, String content, String actorId, UUID sessionId,
            Long fromSeq, Long throughSeq, Instant expiresAt) {
    }

    /** A search hit. */
    public record Found(MemoryRecord record, double score, double similarity) {
    }

    public Uni<MemoryRecord> remember(TenantId tenant, Input input) {
        return remember(tenant, input, Optional.empty());
    }

    /** As {@link #remember(TenantId, Input)}, claiming the client's idempotency key with the write (ADR 0024). */
    public Uni<MemoryRecord> remember(TenantId tenant, Input input, Optional<RequestKey> requestKey) {
        validateNamespace(input.namespace());
        if (input.kind() == null || !KINDS.contains(input.kind())) {
            throw ValidationException.field("kind", "must be one of fact, preference, summary, note");
        }
        validateContent(input.content());
        if (input.key() != null) {
            InputLimits.identifier("key", input.key());
        }
        String actor = input.actorId() != null ? input.actorId()
                : input.namespace().startsWith("actors/") ? input.namespace().substring("actors/".length()) : null;
        String key = input.key() == null ? null : input.key().trim().toLowerCase(java.util.Locale.ROOT);
        return embed(input.content()).chain(vector -> store.upsert(tenant, new NewMemory(UUID.randomUUID(),
                input.namespace(), input.kind(), key, input.content(), actor, input.sessionId(), input.fromSeq(),
                input.throughSeq(), input.expiresAt(), vector), requestKey));
    }

    public Uni<MemoryRecord> get(TenantId tenant, UUID id) {
        return store.find(tenant, id).map(found -> found.orElseThrow(() -> new NotFoundException("memory", id)));
    }

    public Uni<MemoryRecord> update(TenantId tenant, UUID id, String content, Instant expiresAt) {
        validateContent(content);
        return embed(content).chain(vector -> store.update(tenant, id, content, vector, expiresAt))
                .map(found -> found.orElseThrow(() -> new NotFoundException("memory", id)));
    }

    public Uni<Void> delete(TenantId tenant, UUID id) {
        return store.delete(tenant, id).invoke(deleted -> {
            if (!deleted) {
                throw new NotFoundException("memory", id);
            }
        }).replaceWithVoid();
    }

    public Uni<Page<MemoryRecord>> list(TenantId tenant, String namespace, String cursor, int limit) {
        validateNamespace(namespace);
        if (limit < 1 || limit > MAX_PAGE) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_PAGE);
        }
        return store.list(tenant, namespace, cursor, limit);
    }

    /** The best {@code k} memories of the namespaces for a text: embedding similarity combined with recency. */
    public Uni<List<Found>> search(TenantId tenant, List<String> namespaces, String query, int k) {
        validateSearch(namespaces, query, k);
        return embed(query).chain(vector -> searchVector(tenant, namespaces, vector, k));
    }

    /** As {@link #search} with the query already embedded: one version check, then ranking in the process. */
    public Uni<List<Found>> searchVector(TenantId tenant, List<String> namespaces, float[] vector, int k) {
        return index.search(tenant, namespaces, vector, k, clock.instant())
                .map(hits -> hits.stream().map(hit -> new Found(hit.record(), hit.score(), hit.similarity())).toList());
    }

    /** Checks a search's input; {@link #search} does it too. */
    public static void validateSearch(List<String> namespaces, String query, int k) {
        namespaces.forEach(MemoryService::validateNamespace);
        if (query == null || query.isBlank() || query.length() > MAX_CONTENT) {
            throw ValidationException.field("query", "is required and at most " + MAX_CONTENT + " characters");
        }
        if (k < 1 || k > MAX_PAGE) {
            throw ValidationException.field("topK", "must be between 1 and " + MAX_PAGE);
        }
    }

    public Uni<List<MemoryBlock>> blocks(TenantId tenant, List<String> namespaces) {
        namespaces.forEach(MemoryService::validateNamespace);
        return store.blocks(tenant, namespaces);
    }

    public Uni<MemoryBlock> putBlock(TenantId tenant, String namespace, String label, String content) {
        return putBlock(tenant, namespace, label, content, Optional.empty());
    }

    /** As {@link #putBlock(TenantId, String, String, String)}, claiming the client's idempotency key with the write. */
    public Uni<MemoryBlock> putBlock(TenantId tenant, String namespace, String label, String content,
            Optional<RequestKey> key) {
        validateNamespace(namespace);
        if (label == null || !LABEL.matcher(label).matches()) {
            throw ValidationException.field("label", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (content == null || content.length() > MAX_BLOCK) {
            throw ValidationException.field("content", "is required and at most " + MAX_BLOCK + " characters");
        }
        String actor = namespace.startsWith("actors/") ? namespace.substring("actors/".length()) : null;
        return store.putBlock(tenant, new MemoryBlock(namespace, label, content, null), actor, key);
    }

    public Uni<Void> deleteBlock(TenantId tenant, String namespace, String label) {
        validateNamespace(namespace);
        return store.deleteBlock(tenant, namespace, label).invoke(deleted -> {
            if (!deleted) {
                throw new NotFoundException("memory block", label);
            }
        }).replaceWithVoid();
    }

    public Uni<Erasure> eraseActor(TenantId tenant, String actorId) {
        InputLimits.identifier("actorId", actorId);
        return store.eraseActor(tenant, actorId);
    }

    public Uni<float[]> embed(String text) {
        EmbeddingRequest request = new EmbeddingRequest(config.embeddingModel(), List.of(text),
                config.embeddingDimensions().orElse(null));
        return model.embed(request).map(response -> response.vectors().getFirst());
    }

    public static void validateNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw ValidationException.field("namespace",
                    "must be actors/{id}, agents/{name} or sessions/{id} (an id of 1-256 characters)");
        }
    }

    private static void validateContent(String content) {
        if (content == null || content.isBlank() || content.length() > MAX_CONTENT) {
            throw ValidationException.field("content", "is required and at most " + MAX_CONTENT + " characters");
        }
    }
}
