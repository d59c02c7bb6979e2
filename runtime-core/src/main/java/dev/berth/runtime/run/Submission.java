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
 * @param key     the client's idempotency key, claimed in the same transaction (ADR 0024)
 * @param options what the run sets for itself (ADR 0036), stored with it by the same statement
 */
public record Submission(TenantId tenant, UUID sessionId, UUID runId, NewEvent input, Optional<RequestKey> key,
        RunOptions options) {
    public Submission {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
    }

    /** A submission of a run as its agent defines it. */
    public Submission(TenantId tenant, UUID sessionId, UUID runId, NewEvent input, Optional<RequestKey> key) {
        this(tenant, sessionId, runId, input, key, RunOptions.NONE);
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
