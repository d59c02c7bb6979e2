package dev.berth.deploy.api;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /v1/api-keys}: the key's {@code roles} (admin, developer, operator, service,
 * actor), the {@code actorId} an actor key stands for, and an optional {@code expiresAt}.
 * {@code admin} is deprecated: {@code true} means roles [admin], and it may not be given with roles.
 */
public record KeyRequest(String name, @Deprecated Boolean admin, List<String> roles, String actorId,
        Instant expiresAt) {
}
