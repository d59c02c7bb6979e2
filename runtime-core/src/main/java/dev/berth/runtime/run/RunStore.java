package dev.berth.runtime.run;

import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs, their leases and the writes that move them. This is the durable heart of the
 * engine: every method is one transaction.
 *
 * <p>Threading: non-blocking. Errors: {@link dev.berth.runtime.error.UnavailableException}
 * when the database cannot be reached; {@link dev.berth.runtime.error.FencedOutException}
 * when a lease is stale (the write had no effect).
 */
public interface RunStore {

    /**
     * Appends the input event and inserts a queued run, applying the session's input policy
     * to its active runs, and notifies workers, all in one transaction.
     *
     * @return the queued run; fails with {@link dev.berth.runtime.error.NotFoundException}
     *         for an unknown session and {@link dev.berth.runtime.error.ConflictException}
     *         when the policy is {@code reject} and a run is active
     */
    Uni<Run> submit(Submission submission);

    Uni<Optional<Run>> find(TenantId tenant, UUID runId);

    /**
     * Claims the oldest claimable runs, at most {@code max}, in one statement: queued runs with
     * no earlier unfinished run in their session, or running runs whose lease expired. Skips
     * rows other claimers hold; an empty list when there is nothing to claim.
     */
    Uni<List<ClaimedRun>> claim(String owner, Duration leaseTtl, int max);

    /**
     * Commits one step and extends the lease, atomically; fails with FencedOutException if the
     * lease is stale. Answers the session's last event sequence number after the commit (the
     * step's events are numbered up to it) and, for a run that goes on, its budget state after
     * the step, read by the same statement (ADR 0032): the step's tokens and model call are
     * counted for its tenant, agent and session in it.
     */
    Uni<CommittedStep> commitStep(Lease lease, StepCommit step, Duration leaseTtl);

    /** {@link #commitStep}, answering the session's last event sequence number only. */
    default Uni<Long> commit(Lease lease, StepCommit step, Duration leaseTtl) {
        return commitStep(lease, step, leaseTtl).map(CommittedStep::lastSeq);
    }

    /**
     * {@link #commit} tried again after a try whose outcome is unknown: the database could not
     * be reached, or the connection broke, while it ran, so it may have committed and lost only
     * its answer. {@code stepsBefore} is the run's committed steps ({@link Run#step()}) before
     * this one. When the run already has one step more under this same lease, the earlier try
     * landed: nothing is written again (nor counted), and the result is the sequence number of the
     * run's last event, as that try would have returned, with the budget state as it is now.
     * Otherwise exactly {@link #commitStep} (ADR 0025).
     */
    Uni<CommittedStep> commitStepAgain(Lease lease, StepCommit step, int stepsBefore, Duration leaseTtl);

    /** {@link #commitStepAgain}, answering the session's last event sequence number only. */
    default Uni<Long> commitAgain(Lease lease, StepCommit step, int stepsBefore, Duration leaseTtl) {
        return commitStepAgain(lease, step, stepsBefore, leaseTtl).map(CommittedStep::lastSeq);
    }

    /**
     * Records that the tool calls of a step are about to be executed, with their attempt
     * numbers, so that a successor knows they may have run and marks its re-execution as a
     * retry. Fenced like {@link #commit}; the record also keeps the idempotency key each
     * execution was given.
     */
    Uni<Void> startTools(Lease lease, Map<String, Integer> attempts, Duration leaseTtl);

    /**
     * Commits a step that pauses the run: like {@link #commit}, with {@code step.status()}
     * {@code REQUIRES_ACTION}, and records the results the run now waits for. The lease is
     * released in the same transaction: no process holds a paused run.
     */
    Uni<Void> pause(Lease lease, StepCommit step, List<PendingAction> pendingActions, Duration leaseTtl);

    /** What a run waits for (or waited for, with the answers), in the order they were recorded. */
    Uni<List<PendingAction>> pendingActions(TenantId tenant, UUID runId);

    /**
     * Applies what runtime-core decided about a paused run's answers
     * ({@link AnswerDecision}, from {@code run.paused.ActionResolution}), in one transaction that holds the
     * session's and the run's row locks: appends its events, records the answers, and queues the
     * run again (and notifies workers) when it says so. The store decides nothing: it applies the
     * decision only while the run still waits for exactly {@code decision.openBefore()}.
     *
     * @return the run after the answers; fails with {@link dev.berth.runtime.error.NotFoundException}
     *         for an unknown run, {@link dev.berth.runtime.error.ConflictException} when the run
     *         is not waiting ({@code run-not-waiting}) or waits for other calls than the decision
     *         assumed ({@link #ACTIONS_CHANGED}: decide again); nothing changes when it fails
     */
    default Uni<Run> applyAnswers(TenantId tenant, UUID runId, AnswerDecision decision) {
        return applyAnswers(tenant, runId, decision, Optional.empty());
    }

    /**
     * As {@link #applyAnswers(TenantId, UUID, AnswerDecision)}, claiming the client's idempotency key
     * in the same transaction, first: fails with {@link dev.berth.runtime.error.KeyTakenException}
     * when the key was used before (ADR 0024).
     */
    Uni<Run> applyAnswers(TenantId tenant, UUID runId, AnswerDecision decision, Optional<RequestKey> key);

    /** The problem type of {@link #applyAnswers} when the run's open calls changed since the decision. */
    String ACTIONS_CHANGED = "actions-changed";

    /**
     * Extends the given leases, each only if its epoch is still current (an owner id reused by a
     * restarted process never renews the leases of the process that died).
     *
     * @return the leases still held, with whether cancellation was requested meanwhile
     */
    Uni<List<LeaseState>> heartbeat(List<Lease> leases, Duration leaseTtl);

    /** Gives the run up so another process claims it at once (drain); no effect if the lease is stale. */
    Uni<Void> release(Lease lease);

    /**
     * Gives the run up after its steps kept failing, as {@link #release}, and counts a failed
     * attempt on the run in the same write (ADR 0021); no effect if the lease is stale.
     */
    Uni<Void> releaseFailed(Lease lease);

    /**
     * Sets the run's failed attempts back to 0 after a committed step (ADR 0021); fenced like
     * {@link #release}. Called only by a claim that began with failed attempts.
     */
    Uni<Void> resetAttempts(Lease lease);

    /**
     * Cancels a run: a queued or paused run at once, a running one at its next step boundary.
     *
     * @return the run after the request; empty when there is no such run
     */
    Uni<Optional<Run>> requestCancel(TenantId tenant, UUID runId);

    /**
     * Expires up to {@code limit} sessions whose expiry time has passed, with their unfinished
     * runs (a running run's owner is fenced out at its next write). Safe to call from every
     * process at once: rows another sweeper holds are skipped.
     *
     * @return how many sessions were expired
     */
    Uni<Integer> expireSessions(int limit);

    /**
     * The runs waiting and running across all tenants, for metrics: one cheap query on the
     * index of live runs. Not scoped to a tenant; never exposed through the API.
     */
    Uni<RunBacklog> backlog();
}
