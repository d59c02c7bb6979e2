package dev.berth.runtime.memory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The embeddings of one namespace as of {@code version} of its counter, for ranking in the
 * process. Arrays are shared, never modified.
 */
public record NamespaceVectors(long version, List<UUID> ids, List<float[]> vectors, List<Instant> updatedAt,
        List<Instant> expiresAt) {
}
