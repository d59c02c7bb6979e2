package dev.berth.deploy.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An API key; {@code key} is present only in the response that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(String id, String tenantId, String name, String prefix, boolean admin, Instant createdAt,
        Instant revokedAt, String key) {
}
