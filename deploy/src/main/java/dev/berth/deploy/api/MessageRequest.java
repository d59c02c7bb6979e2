package dev.berth.deploy.api;

/** Body of {@code POST /v1/sessions/{id}/messages}. */
public record MessageRequest(String text) {
}
