package dev.berth.deploy.api;

/** A new tenant with its first admin key (shown once). */
public record TenantView(String id, String name, KeyView adminKey) {
}
