package dev.berth.deploy.api;

/**
 * Body of {@code POST /v1/sessions/{id}/upgrade} (optional).
 *
 * @param agentVersion the version of the session's current agent to move to; null for the latest
 */
public record UpgradeRequest(Integer agentVersion) {
}
