package dev.berth.runtime.domain;

import java.util.Objects;
import java.util.UUID;

/** Input for a session: appended as an event together with a queued run, in one transaction. */
public record Submission(TenantId tenant, UUID sessionId, UUID runId, NewEvent input) {
    public Submission {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(input, "input");
    }
}
