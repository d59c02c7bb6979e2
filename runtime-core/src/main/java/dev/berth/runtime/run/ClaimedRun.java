package dev.berth.runtime.run;

import java.time.Instant;
import java.util.Map;

/**
 * A run this process now owns.
 *
 * @param pendingTools tool calls committed but not answered, with how often each was started;
 *                     non-empty when the run is resumed after its previous owner died mid-call,
 *                     or after a pause whose approved calls are still to run
 * @param takeover     whether the run had been running under another lease before
 * @param activeSince  when the run's current active stretch began: its start, or when it was
 *                     queued again after a pause (the wall-clock limit counts from here)
 * @param actorId      the session's actor
 * @param sessionState the session's key-value state when the run was claimed; while it holds
 *                     the lease, only this run changes it
 * @param traceparent  the W3C trace context stored with the run's input, or null: the run's
 *                     trace continues it
 * @param failedAttempts how many claims of the run ended without a committed step since its last
 *                     one, counting this claim when it took over an expired lease (ADR 0021)
 * @param budget       the run's budget state read with the claim: the first model call of the claim
 *                     is checked against it (ADR 0032)
 */
public record ClaimedRun(Run run, Lease lease, Map<String, Integer> pendingTools, boolean cancelRequested,
        boolean takeover, Instant activeSince, String actorId, Map<String, Object> sessionState,
        String traceparent, int failedAttempts, BudgetState budget) {

    /** A claim with nothing read of budgets ({@link BudgetState#NONE}). */
    public ClaimedRun(Run run, Lease lease, Map<String, Integer> pendingTools, boolean cancelRequested,
            boolean takeover, Instant activeSince, String actorId, Map<String, Object> sessionState,
            String traceparent, int failedAttempts) {
        this(run, lease, pendingTools, cancelRequested, takeover, activeSince, actorId, sessionState, traceparent,
                failedAttempts, BudgetState.NONE);
    }

    /** A claim of a run with no failed attempts. */
    public ClaimedRun(Run run, Lease lease, Map<String, Integer> pendingTools, boolean cancelRequested,
            boolean takeover, Instant activeSince, String actorId, Map<String, Object> sessionState,
            String traceparent) {
        this(run, lease, pendingTools, cancelRequested, takeover, activeSince, actorId, sessionState, traceparent, 0);
    }

    public ClaimedRun {
        pendingTools = Map.copyOf(pendingTools);
        activeSince = activeSince == null ? run.startedAt() : activeSince;
        sessionState = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sessionState));
        budget = budget == null ? BudgetState.NONE : budget;
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failedAttempts must be >= 0");
        }
    }
}
