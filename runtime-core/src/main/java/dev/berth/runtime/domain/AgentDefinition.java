package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;

/** One immutable version of an agent. */
public record AgentDefinition(TenantId tenant, String name, int version, AgentSpec spec, Instant createdAt) {
    public AgentDefinition {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive");
        }
    }
}
