package dev.berth.deploy.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An API key; {@code key} is present only in the response that created it. {@code prefix} is made
 * of the key's id, never of the key. {@code admin} (deprecated) says whether roles hold admin.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(String id, String tenantId, String name, String prefix, List<String> roles, String actorId,
        boolean admin, Instant createdAt, Instant expiresAt, Instant revokedAt, String key) {
}
