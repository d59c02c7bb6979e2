package dev.berth.runtime.memory;

import java.time.Instant;
import java.util.UUID;

/**
 * One long-term memory.
 *
 * @param namespace        {@code actors/{id}}, {@code agents/{name}} or {@code sessions/{id}}
 * @param kind             fact, preference, summary or note
 * @param key              what the memory is about (a subject); a newer memory with the same
 *                         namespace, kind and key replaces it; null for none
 * @param actorId          the end user it is about, when known
 * @param sourceSessionId  the session it was extracted from or written in, if any
 * @param sourceFromSeq    the first event it was taken from, if any
 * @param sourceThroughSeq the last event it was taken from, if any
 * @param expiresAt        null for no expiry
 */
public record MemoryRecord(UUID id, String namespace, String kind, String key, String content, String actorId,
        UUID sourceSessionId, Long sourceFromSeq, Long sourceThroughSeq, Instant createdAt, Instant updatedAt,
        Instant expiresAt) {
}
