package dev.berth.deploy.api;

/**
 * Body of {@code POST /v1/memories} and {@code PATCH /v1/memories/{id}} (where only
 * {@code content} and {@code ttlSeconds} apply).
 */
public record MemoryRequest(String namespace, String kind, String key, String content, Long ttlSeconds) {
}
