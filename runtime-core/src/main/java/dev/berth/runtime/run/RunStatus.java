package dev.berth.runtime.run;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The statuses of a run. Which event moves a run from one to the next is
 * {@link RunLifecycle}'s table; the questions below are answered from it.
 */
public enum RunStatus {
    QUEUED, RUNNING, REQUIRES_ACTION, COMPLETED, FAILED, CANCELLED, EXPIRED,
    /** Waiting for its sub-agent runs, without a lease; queued again by the last child to settle. */
    WAITING;

    /** Whether the run will never change again: no event of the lifecycle leaves this status. */
    public boolean terminal() {
        return RunLifecycle.terminal(this);
    }

    /**
     * Whether a client waiting for the run has something to look at: it is over, or it is paused
     * until the client answers.
     */
    public boolean settled() {
        return terminal() || RunLifecycle.allows(this, RunEvent.ANSWER);
    }

    /** Whether a step that moves the run to this status gives its lease up (false when no step reaches it). */
    public boolean releasesLease() {
        return RunLifecycle.stepTo(this).map(RunLifecycle.Transition::releasesLease).orElse(false);
    }

    /** The statuses of runs that are not over, in the lifecycle's order. */
    public static List<RunStatus> live() {
        return Arrays.stream(values()).filter(status -> !status.terminal()).toList();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
