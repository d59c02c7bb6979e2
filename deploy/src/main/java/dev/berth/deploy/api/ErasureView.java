package dev.berth.deploy.api;

/** What {@code DELETE /v1/actors/{id}} removed. */
public record ErasureView(String actorId, long sessions, long memories, long blocks, long jobs) {
}
