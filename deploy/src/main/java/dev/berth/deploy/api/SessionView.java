package dev.berth.deploy.api;

import java.time.Instant;
import java.util.Map;

/**
 * A session as the API shows it.
 *
 * @param openedBy who opened it: the key ({@code key:<id>}) or token subject; null for a sub-agent's child session
 * @param killed   who killed it and when, while an operator's kill holds (it takes no input); null otherwise
 */
public record SessionView(String id, AgentRef agent, String actorId, String status, String inputPolicy, Map<String, Object> state,
        Map<String, Object> metadata, long lastSeq, Instant createdAt, Instant updatedAt, Instant expiresAt,
        String openedBy, KillView killed) {

    /** An operator's kill of the session (ADR 0033). */
    public record KillView(String by, Instant at) {
    }

    /** The agent version a session or run is pinned to. */
    public record AgentRef(String name, int version) {
    }
}
