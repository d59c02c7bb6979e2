package dev.berth.runtime.memory;

import java.time.Instant;
import java.util.UUID;

/** A memory to store, with its embedding; see {@link MemoryRecord} for the fields. */
public record NewMemory(UUID id, String namespace, String kind, String key, String content, String actorId,
        UUID sourceSessionId, Long sourceFromSeq, Long sourceThroughSeq, Instant expiresAt, float[] embedding) {
}
