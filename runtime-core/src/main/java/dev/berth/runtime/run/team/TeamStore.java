package dev.berth.runtime.run.team;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable state of agent teams: child runs, the parent's wait for them, handoffs.
 *
 * <p>The other half of the protocol lives in {@link RunStore}: the final commit of a child run
 * (and the cancellation of a queued one) records the child's result on the parent's call and,
 * when it was the parent's last open call, queues the parent again, in the same transaction.
 *
 * <p>Threading and errors as {@link RunStore}; fenced writes fail with
 * {@link dev.berth.runtime.error.FencedOutException} when the lease is stale.
 */
public interface TeamStore {

    /**
     * Commits a step of the parent (its status must be {@code WAITING}) together with the
     * children it starts: their sessions, input events, queued runs and call records, then
     * notifies workers. Fenced like {@link RunStore#commit}; the parent's lease is released. If
     * none of the parent's calls is open after the commit, the parent is queued again at once.
     */
    Uni<Void> startChildren(Lease lease, StepCommit step, List<ChildStart> children, Duration leaseTtl);

    /** The sub-agent calls of a run, settled or not. */
    Uni<List<SubagentCall>> calls(TenantId tenant, UUID parentRunId);

    Uni<TeamPosition> position(TenantId tenant, UUID runId);

    /** The agent versions the session pinned when it opened, by name (empty for a session without a team). */
    Uni<Map<String, Integer>> pins(TenantId tenant, UUID sessionId);

    /**
     * Commits a handoff step (fenced, status {@code RUNNING}) and makes the given agent version the
     * agent of the run and of its session, in one transaction.
     */
    Uni<Void> handOff(Lease lease, StepCommit step, String agentName, int agentVersion, Duration leaseTtl);

    /**
     * Moves an active session to another version of its agent and replaces its team pins; runs
     * queued afterwards, and sub-agent calls and handoffs made afterwards, use them.
     *
     * @return false when there is no such active session
     */
    Uni<Boolean> repin(TenantId tenant, UUID sessionId, String agentName, int agentVersion, Map<String, Integer> team);

    /** The run and all its descendants, parents before children; empty when there is no such run. */
    Uni<List<RunTreeNode>> tree(TenantId tenant, UUID runId);
}
