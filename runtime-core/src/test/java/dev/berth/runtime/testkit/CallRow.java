package dev.berth.runtime.testkit;

import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.team.SubagentCall;
import java.util.UUID;

/** A sub-agent call of a parent run ({@code subagent_calls}). */
final class CallRow {
    final UUID parentRunId;
    final String callId;
    final String agentName;
    final int agentVersion;
    final UUID childSessionId;
    final UUID childRunId;
    RunStatus status = RunStatus.RUNNING;
    String output;
    RunError error;

    CallRow(UUID parentRunId, String callId, String agentName, int agentVersion, UUID childSessionId,
            UUID childRunId) {
        this.parentRunId = parentRunId;
        this.callId = callId;
        this.agentName = agentName;
        this.agentVersion = agentVersion;
        this.childSessionId = childSessionId;
        this.childRunId = childRunId;
    }

    SubagentCall toCall() {
        return new SubagentCall(callId, agentName, agentVersion, childSessionId, childRunId, status, output, error);
    }
}
