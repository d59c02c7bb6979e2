package dev.berth.runtime.memory;

import java.util.List;

/**
 * The live records of one namespace with their embeddings, as of {@code version} of its
 * counter, for ranking in the process without another read. Index {@code i} of both lists
 * belongs to one record. Arrays are shared, never modified.
 */
public record NamespaceVectors(long version, List<MemoryRecord> records, List<float[]> vectors) {
}
