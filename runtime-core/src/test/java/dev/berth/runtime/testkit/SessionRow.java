package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A session row of the {@link InMemoryDatabase}. */
final class SessionRow {
    final UUID id;
    final TenantId tenant;
    String agentName;
    int agentVersion;
    final String actorId = "actor-1";
    final InputPolicy policy;
    Map<String, Object> state = new LinkedHashMap<>();
    long lastSeq;
    Instant expiresAt;
    boolean expired;
    Map<String, Integer> team = new LinkedHashMap<>();
    UUID parentSessionId;

    SessionRow(UUID id, TenantId tenant, String agentName, int agentVersion, InputPolicy policy) {
        this.id = id;
        this.tenant = tenant;
        this.agentName = agentName;
        this.agentVersion = agentVersion;
        this.policy = policy;
    }

    boolean open(Instant now) {
        return !expired && (expiresAt == null || expiresAt.isAfter(now));
    }
}
