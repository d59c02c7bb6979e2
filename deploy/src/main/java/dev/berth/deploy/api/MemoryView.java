package dev.berth.deploy.api;

import java.time.Instant;

/** A long-term memory record as the API shows it (without its embedding). */
public record MemoryView(String id, String namespace, String kind, String key, String content, String actorId,
        Source source, Instant createdAt, Instant updatedAt, Instant expiresAt) {

    /** Where the memory came from, when it came from a session. */
    public record Source(String sessionId, Long fromSeq, Long throughSeq) {
    }
}
