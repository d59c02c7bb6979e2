package dev.berth.runtime.memory;

import java.time.Instant;

/** A pinned, labelled text that is always in the context of the agents reading its namespace. */
public record MemoryBlock(String namespace, String label, String content, Instant updatedAt) {
}
