package dev.berth.deploy.api;

/** Body of {@code POST /v1/tenants}. */
public record TenantRequest(String name) {
}
