package dev.berth.runtime.run.team;

import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import java.util.UUID;

/**
 * A parent run's sub-agent call and the child run answering it.
 *
 * @param status {@code RUNNING} until the child settles, then the child's final status
 * @param output the child's answer, when it completed
 * @param error  why the child failed, when it failed
 */
public record SubagentCall(String callId, String agentName, int agentVersion, UUID childSessionId,
        UUID childRunId, RunStatus status, String output, RunError error) {

    public boolean open() {
        return status == RunStatus.RUNNING;
    }
}
