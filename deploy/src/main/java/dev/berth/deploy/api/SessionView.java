package dev.berth.deploy.api;

import java.time.Instant;
import java.util.Map;

/** A session as the API shows it. */
public record SessionView(String id, AgentRef agent, String actorId, String status, String inputPolicy, Map<String, Object> state,
        Map<String, Object> metadata, long lastSeq, Instant createdAt, Instant updatedAt, Instant expiresAt) {

    /** The agent version a session or run is pinned to. */
    public record AgentRef(String name, int version) {
    }
}
