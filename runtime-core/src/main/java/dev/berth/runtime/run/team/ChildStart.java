package dev.berth.runtime.run.team;

import java.util.Objects;
import java.util.UUID;

/**
 * A child run about to be started by a sub-agent call, in a child session of its own.
 *
 * @param callId the parent's tool call this child answers
 * @param input  the text the child's session starts with
 */
public record ChildStart(UUID sessionId, UUID runId, String callId, String agentName, int agentVersion,
        String input) {
    public ChildStart {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(input, "input");
    }
}
