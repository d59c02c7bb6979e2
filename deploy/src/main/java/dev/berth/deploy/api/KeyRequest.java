package dev.berth.deploy.api;

/** Body of {@code POST /v1/api-keys}. */
public record KeyRequest(String name, Boolean admin) {
}
