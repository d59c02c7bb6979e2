package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The long-lived state of one actor with one agent.
 *
 * @param openedBy who opened it ({@link ApiPrincipal#subject()}); null when the engine did (a
 *                 sub-agent's child session) or before V11 recorded it
 * @param kill     who killed it and when, while it is killed (ADR 0033); null otherwise
 */
public record Session(UUID id, TenantId tenant, String agentName, int agentVersion, String actorId,
        SessionStatus status, InputPolicy inputPolicy, Map<String, Object> state, Map<String, Object> metadata, long lastSeq,
        Instant createdAt, Instant updatedAt, Instant expiresAt, String openedBy, SessionKill kill) {
    public Session {
        // JSON objects may hold null values, which Map.copyOf refuses.
        state = state == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(state));
        metadata = metadata == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** A session opened by no one in particular, never killed. */
    public Session(UUID id, TenantId tenant, String agentName, int agentVersion, String actorId,
            SessionStatus status, InputPolicy inputPolicy, Map<String, Object> state, Map<String, Object> metadata,
            long lastSeq, Instant createdAt, Instant updatedAt, Instant expiresAt) {
        this(id, tenant, agentName, agentVersion, actorId, status, inputPolicy, state, metadata, lastSeq, createdAt,
                updatedAt, expiresAt, null, null);
    }

    /** Whether an operator killed it: it takes no input until reopened. */
    public boolean killed() {
        return kill != null;
    }
}
