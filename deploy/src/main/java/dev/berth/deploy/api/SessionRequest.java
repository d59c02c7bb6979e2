package dev.berth.deploy.api;

import java.util.Map;

/**
 * Body of {@code POST /v1/sessions}.
 *
 * @param agentVersion null for the latest version
 * @param inputPolicy  null for the agent's policy: {@code reject}, {@code enqueue} or {@code interrupt}
 * @param ttlSeconds   null for a session that does not expire
 */
public record SessionRequest(String agent, Integer agentVersion, String actorId, String inputPolicy,
        Map<String, Object> metadata, Long ttlSeconds) {
}
