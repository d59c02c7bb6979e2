package dev.berth.deploy.api;

/** A search hit: the memory, its combined score and its cosine similarity to the query. */
public record MemoryHitView(MemoryView memory, double score, double similarity) {
}
