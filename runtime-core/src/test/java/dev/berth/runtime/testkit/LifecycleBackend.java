package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.team.TeamStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A run store under test by the {@link LifecycleDriver}: the in-memory one or the PostgreSQL
 * adapter. Both are driven by the same actions and must end in the same {@link Snapshot}.
 */
public interface LifecycleBackend {
    TenantId TENANT = new TenantId(UUID.fromString("00000000-0000-0000-0000-0000000000bb"));
    /** The agent of the root sessions, and the sub-agent their runs start; both at version 1. */
    String AGENT = "main";
    String HELPER = "helper";

    RunStore runs();

    TeamStore teams();

    /** Opens a session of {@link #AGENT} with this id (a row, as the session service would insert it). */
    void openSession(UUID id, InputPolicy policy);

    /** Lets every running run's lease lapse, as if its owner stopped heartbeating a TTL ago. */
    void expireLeases();

    /** Everything the lifecycle rules decide, read in one go. */
    Snapshot snapshot();

    /** What a run looks like to the lifecycle rules. */
    record RunView(UUID id, UUID sessionId, long inputSeq, UUID parentRunId, RunStatus status, int step, long epoch,
            int modelCalls, String output, String errorCode, boolean cancelRequested) {
    }

    /** An event as the rules see it: where it is, what it is, whose it is. */
    record EventView(long seq, String type, UUID runId) {
    }

    /** A sub-agent call ({@code subagent_calls}). */
    record CallView(UUID parentRunId, String callId, UUID childRunId, RunStatus status) {
    }

    /**
     * @param runs   by id
     * @param events by session, oldest first
     * @param calls  sorted by parent run and call id
     */
    record Snapshot(Map<UUID, RunView> runs, Map<UUID, List<EventView>> events, List<CallView> calls) {
    }
}
