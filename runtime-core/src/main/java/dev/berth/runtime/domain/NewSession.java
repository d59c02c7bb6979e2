package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A session about to be created, with the agent version it pins.
 *
 * @param team     the versions of its team's members it pins, by agent name (may be empty)
 * @param openedBy who opened it ({@link ApiPrincipal#subject()}); null when the engine did
 */
public record NewSession(UUID id, TenantId tenant, AgentDefinition agent, String actorId, InputPolicy inputPolicy,
        Map<String, Object> metadata, Instant expiresAt, Map<String, Integer> team, String openedBy) {
    public NewSession {
        team = team == null ? Map.of() : Map.copyOf(team);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(inputPolicy, "inputPolicy");
        metadata = metadata == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    public NewSession(UUID id, TenantId tenant, AgentDefinition agent, String actorId, InputPolicy inputPolicy,
            Map<String, Object> metadata, Instant expiresAt) {
        this(id, tenant, agent, actorId, inputPolicy, metadata, expiresAt, Map.of(), null);
    }
}
