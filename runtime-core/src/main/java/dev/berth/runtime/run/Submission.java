package dev.berth.runtime.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Input for a session: appended as an event together with a queued run, in one transaction.
 *
 * @param key the client's idempotency key, claimed in the same transaction (ADR 0024)
 */
public record Submission(TenantId tenant, UUID sessionId, UUID runId, NewEvent input, Optional<RequestKey> key) {
    public Submission {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(key, "key");
    }

    /** A submission without an idempotency key. */
    public Submission(TenantId tenant, UUID sessionId, UUID runId, NewEvent input) {
        this(tenant, sessionId, runId, input, Optional.empty());
    }

    /**
     * The input event of a user's message, with the W3C trace context the client sent (or null),
     * which the run's trace continues.
     */
    public static NewEvent userMessage(String text, String traceparent) {
        ObjectNode data = DocumentJson.object().put("text", text);
        if (traceparent != null) {
            data.put("traceparent", traceparent);
        }
        return new NewEvent(EventType.USER_MESSAGE, data);
    }
}
