package dev.berth.runtime.run;

import static dev.berth.runtime.run.RunEvent.ANSWER;
import static dev.berth.runtime.run.RunEvent.CANCEL;
import static dev.berth.runtime.run.RunEvent.CHILD_SETTLES;
import static dev.berth.runtime.run.RunEvent.CLAIM;
import static dev.berth.runtime.run.RunEvent.COMPLETE;
import static dev.berth.runtime.run.RunEvent.EXPIRE;
import static dev.berth.runtime.run.RunEvent.FAIL;
import static dev.berth.runtime.run.RunEvent.PAUSE;
import static dev.berth.runtime.run.RunEvent.RELEASE;
import static dev.berth.runtime.run.RunEvent.STEP;
import static dev.berth.runtime.run.RunEvent.STOP_CANCELLED;
import static dev.berth.runtime.run.RunEvent.TAKE_OVER;
import static dev.berth.runtime.run.RunEvent.WAIT_FOR_CHILDREN;
import static dev.berth.runtime.run.RunStatus.CANCELLED;
import static dev.berth.runtime.run.RunStatus.COMPLETED;
import static dev.berth.runtime.run.RunStatus.EXPIRED;
import static dev.berth.runtime.run.RunStatus.FAILED;
import static dev.berth.runtime.run.RunStatus.QUEUED;
import static dev.berth.runtime.run.RunStatus.REQUIRES_ACTION;
import static dev.berth.runtime.run.RunStatus.RUNNING;
import static dev.berth.runtime.run.RunStatus.WAITING;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The run lifecycle as one table: which {@link RunEvent} moves a run from which
 * {@link RunStatus} to which, under which {@link Guard}. It is the one place the lifecycle is
 * written down in Java: {@link RunStatus#terminal()}, {@link RunStatus#settled()} and
 * {@link RunStatus#releasesLease()} are derived from it, {@link StepCommit} refuses a status no
 * step can reach, and the services ask it before they act (see docs/architecture.md for the SQL
 * functions that apply the same moves under the database's locks).
 *
 * <p>Anything not in the table is refused: {@link #next} fails for it.
 *
 * <p>Threading: immutable, thread safe.
 */
public final class RunLifecycle {

    /** When a transition applies, for an event that can lead to two statuses. */
    public enum Guard {
        /** Always. */
        ALWAYS,
        /** Something the run waits for is still open (an unanswered action, an unsettled child call). */
        SOME_OPEN,
        /** Nothing the run waits for is open any more: it is queued again. */
        NONE_OPEN
    }

    /**
     * One row of the table.
     *
     * @param releasesLease whether a run that takes it gives up its lease (no process holds it afterwards)
     */
    public record Transition(RunStatus from, RunEvent event, Guard guard, RunStatus to, boolean releasesLease) {
    }

    /** The status a run starts in ({@link RunEvent#SUBMIT}). */
    public static final RunStatus INITIAL = QUEUED;

    private static final List<Transition> TABLE = List.of(
            t(QUEUED, CLAIM, RUNNING),
            t(QUEUED, CANCEL, CANCELLED),
            t(QUEUED, EXPIRE, EXPIRED),

            t(RUNNING, TAKE_OVER, RUNNING),
            t(RUNNING, RELEASE, RUNNING, true),
            t(RUNNING, STEP, RUNNING),
            t(RUNNING, COMPLETE, COMPLETED, true),
            t(RUNNING, FAIL, FAILED, true),
            t(RUNNING, PAUSE, REQUIRES_ACTION, true),
            t(RUNNING, WAIT_FOR_CHILDREN, WAITING, true),
            // A cancel request is recorded on the run; its owner stops at the next step boundary.
            t(RUNNING, CANCEL, RUNNING),
            t(RUNNING, STOP_CANCELLED, CANCELLED, true),
            t(RUNNING, EXPIRE, EXPIRED, true),

            new Transition(REQUIRES_ACTION, ANSWER, Guard.SOME_OPEN, REQUIRES_ACTION, false),
            new Transition(REQUIRES_ACTION, ANSWER, Guard.NONE_OPEN, QUEUED, false),
            t(REQUIRES_ACTION, CANCEL, CANCELLED),
            t(REQUIRES_ACTION, EXPIRE, EXPIRED),

            new Transition(WAITING, CHILD_SETTLES, Guard.SOME_OPEN, WAITING, false),
            new Transition(WAITING, CHILD_SETTLES, Guard.NONE_OPEN, QUEUED, false),
            t(WAITING, CANCEL, CANCELLED),
            t(WAITING, EXPIRE, EXPIRED));

    private RunLifecycle() {
    }

    private static Transition t(RunStatus from, RunEvent event, RunStatus to) {
        return t(from, event, to, false);
    }

    private static Transition t(RunStatus from, RunEvent event, RunStatus to, boolean releasesLease) {
        return new Transition(from, event, Guard.ALWAYS, to, releasesLease);
    }

    /** Every legal transition, in the order of the table. */
    public static List<Transition> transitions() {
        return TABLE;
    }

    /** The transition {@code event} makes from {@code from} when {@code guard} holds, if it is legal. */
    public static Optional<Transition> find(RunStatus from, RunEvent event, Guard guard) {
        return TABLE.stream()
                .filter(row -> row.from() == from && row.event() == event
                        && (row.guard() == Guard.ALWAYS || row.guard() == guard))
                .findFirst();
    }

    /**
     * The status {@code event} moves a run in {@code from} to.
     *
     * @param guard which guarded row applies ({@link Guard#ALWAYS} for an unguarded event)
     * @throws IllegalStateException when the table has no such transition
     */
    public static RunStatus next(RunStatus from, RunEvent event, Guard guard) {
        return find(from, event, guard).map(Transition::to).orElseThrow(() -> new IllegalStateException(
                "a " + from.wire() + " run cannot take the event " + event + (guard == Guard.ALWAYS ? "" : " (" + guard + ")")));
    }

    /** As {@link #next(RunStatus, RunEvent, Guard)} for an event without a guard. */
    public static RunStatus next(RunStatus from, RunEvent event) {
        return next(from, event, Guard.ALWAYS);
    }

    /** Whether a run in {@code status} can take {@code event} at all (under some guard). */
    public static boolean allows(RunStatus status, RunEvent event) {
        return TABLE.stream().anyMatch(row -> row.from() == status && row.event() == event);
    }

    /** The statuses from which {@code event} is legal: what the stores match on, passed to them as data. */
    public static Set<RunStatus> sources(RunEvent event) {
        return TABLE.stream().filter(row -> row.event() == event).map(Transition::from)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RunStatus.class)));
    }

    /**
     * The status a step of the owner moves its running run to: what the engine commits.
     *
     * @throws IllegalArgumentException for an event that is not a step
     */
    public static RunStatus afterStep(RunEvent step) {
        if (!step.isStep()) {
            throw new IllegalArgumentException(step + " is not a step of the run's owner");
        }
        return next(RUNNING, step);
    }

    /**
     * The step transition a running run's owner commits to reach {@code status}.
     *
     * @throws IllegalArgumentException when no step leads there (a step cannot queue or expire a run)
     */
    public static Transition step(RunStatus status) {
        return stepTo(status).orElseThrow(() -> new IllegalArgumentException("no step moves a run to " + status.wire()));
    }

    /** The step transition to {@code status}, when there is one. */
    static Optional<Transition> stepTo(RunStatus status) {
        return TABLE.stream()
                .filter(row -> row.from() == RUNNING && row.event().isStep() && row.to() == status)
                .findFirst();
    }

    /** The statuses no event leaves: the run never changes again. */
    static boolean terminal(RunStatus status) {
        return TABLE.stream().noneMatch(row -> row.from() == status);
    }
}
