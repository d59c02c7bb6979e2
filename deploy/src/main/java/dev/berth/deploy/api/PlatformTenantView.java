package dev.berth.deploy.api;

import java.time.Instant;

/** A tenant as the platform operator sees it; {@code suspendedAt} is null while it is active. */
public record PlatformTenantView(String id, String name, boolean platformOwn, Instant createdAt, Instant suspendedAt) {
}
