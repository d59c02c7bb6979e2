package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The long-lived state of one actor with one agent. */
public record Session(UUID id, TenantId tenant, String agentName, int agentVersion, String actorId,
        SessionStatus status, InputPolicy inputPolicy, Map<String, Object> state, Map<String, Object> metadata, long lastSeq,
        Instant createdAt, Instant updatedAt, Instant expiresAt) {
    public Session {
        // JSON objects may hold null values, which Map.copyOf refuses.
        state = state == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(state));
        metadata = metadata == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
