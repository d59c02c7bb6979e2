package dev.berth.runtime.domain;

import dev.berth.model.ToolCall;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One tool call to execute, with what its {@link dev.berth.tool.ToolContext} needs.
 *
 * @param attempt 1 for the first execution, more when the run was taken over mid-call
 * @param state   the session's state when the batch started
 */
public record ToolInvocation(String tenantId, UUID sessionId, UUID runId, String actorId, ToolCall call,
        int attempt, Map<String, Object> state) {
    public ToolInvocation {
        Objects.requireNonNull(call, "call");
        state = state == null ? Map.of() : state;
    }

    /** The key every execution of this call gets, whichever process runs it: {@code runId:callId}. */
    public String idempotencyKey() {
        return idempotencyKey(runId, call.id());
    }

    public static String idempotencyKey(UUID runId, String callId) {
        return runId + ":" + callId;
    }
}
