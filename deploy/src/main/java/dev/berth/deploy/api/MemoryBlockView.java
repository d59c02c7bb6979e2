package dev.berth.deploy.api;

import java.time.Instant;

/** A pinned memory block; as a request body only {@code content} is read. */
public record MemoryBlockView(String namespace, String label, String content, Instant updatedAt) {
}
