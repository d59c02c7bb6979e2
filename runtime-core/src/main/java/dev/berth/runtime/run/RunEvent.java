package dev.berth.runtime.run;

/**
 * What happens to a run: the events of the lifecycle that {@link RunLifecycle} maps from one
 * {@link RunStatus} to the next. Some are decided by a process executing the run (the step
 * events), some by a client (submit, answer, cancel), some by the database (a child settling, a
 * lease expiring, a session expiring).
 */
public enum RunEvent {
    /** Input arrives for a session: its run is created queued. */
    SUBMIT,
    /** A worker takes a queued run, with a fresh lease (only the session's oldest unfinished run). */
    CLAIM,
    /** A worker takes a running run whose lease expired: its owner crashed or lost the lease. */
    TAKE_OVER,
    /** The owner gives the run up without finishing it (drain, or too many failed steps): claimable at once. */
    RELEASE,
    /** The owner commits a step after which the run goes on (model answer, tool results, compaction, handoff). */
    STEP,
    /** The owner commits the final answer. */
    COMPLETE,
    /** The owner commits a failure (a limit, a model error, a timeout). */
    FAIL,
    /** The owner commits a step that waits for client-side tool outputs or human approvals. */
    PAUSE,
    /** A client answers some or all of a paused run's pending actions. */
    ANSWER,
    /** The owner commits a step that starts sub-agent runs and waits for them. */
    WAIT_FOR_CHILDREN,
    /** A child run of a waiting parent reached a final status; its result is recorded on the parent's call. */
    CHILD_SETTLES,
    /** A client (or new input under the {@code interrupt} policy, or a cancelled parent) cancels the run. */
    CANCEL,
    /** The owner stops at a step boundary because a cancel was requested while the run was executing. */
    STOP_CANCELLED,
    /** The run's session passed its expiry time. */
    EXPIRE;

    /** Whether the event is a step committed by the run's owner, fenced by its lease. */
    public boolean isStep() {
        return this == STEP || this == COMPLETE || this == FAIL || this == PAUSE || this == WAIT_FOR_CHILDREN
                || this == STOP_CANCELLED;
    }
}
