package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.observe.Observation;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The agent loop of one claimed run, as a durable state machine: each step (a model call, or
 * the execution of the tool calls it asked for) is committed in one transaction fenced by the
 * lease epoch, so a successor resumes from the last committed step. This class decides which
 * step comes next and when the execution stops; {@link ModelStep}, {@link ToolStep} and
 * {@link Settlement} make the steps, over the {@link ExecutionState} they share.
 *
 * <p>Threading: steps run one after the other on whatever thread completes the previous one;
 * {@link #cancel()}, {@link #lose()} and {@link #drain()} may be called from any thread.
 */
final class RunExecution {
    private static final Logger LOG = Logger.getLogger(RunExecution.class);
    private static final int MAX_CONSECUTIVE_FAILURES = 5;

    private final ExecutionState run;
    private final StopSignal stopSignal = new StopSignal();
    private final Settlement settlement;
    private final ModelStep modelStep;
    private final ToolStep toolStep;
    private volatile boolean draining;
    private int consecutiveFailures;
    private final AttemptCap attempts;
    /** Whether the run's failed attempts are still to be set back to 0 after this claim's first committed step. */
    private boolean attemptsToReset;

    RunExecution(EngineParts parts, ClaimedRun claimed, AgentDefinition agent) {
        this.run = new ExecutionState(parts, claimed, agent);
        this.settlement = new Settlement(run);
        this.modelStep = new ModelStep(run, stopSignal, settlement);
        this.toolStep = new ToolStep(run, settlement);
        this.attempts = new AttemptCap(parts.config().maxAttempts());
        this.attemptsToReset = claimed.failedAttempts() > 0;
    }

    Run run() {
        return run.claimed.run();
    }

    Lease lease() {
        return run.claimed.lease();
    }

    /** Runs steps until the run settles, the lease is lost or the process drains. Never fails. */
    Uni<Void> execute() {
        // whatever the model client kept open for this run (a WebSocket-mode socket) closes with the execution
        return steps().eventually(() -> run.parts.model().endRun(run.claimed.run().id().toString()));
    }

    private Uni<Void> steps() {
        return step().chain(done -> done ? Uni.createFrom().voidItem() : steps());
    }

    void cancel() {
        run.cancelRequested = true;
        stopSignal.fire();
    }

    void lose() {
        run.lost = true;
        stopSignal.fire();
    }

    /** Stops at the next step boundary and releases the run for another process. */
    void drain() {
        draining = true;
    }

    /** Whether the lease is known to be gone; the execution is winding down. */
    boolean isLost() {
        return run.lost;
    }

    boolean isDraining() {
        return draining;
    }

    RunStatus outcome() {
        return run.outcome;
    }

    /** @return true when this execution is over */
    private Uni<Boolean> step() {
        if (run.lost) {
            return Uni.createFrom().item(true);
        }
        if (draining) {
            return run.parts.runs().release(run.claimed.lease()).replaceWith(true)
                    .onFailure().recoverWithItem(true);
        }
        if (run.cancelRequested) {
            return settlement.stopCancelled();
        }
        if (attempts.usedUp(run.claimed)) {
            return settlement.fail(attempts.usedUpError());
        }
        if (run.pastDeadline()) {
            return settlement.fail(run.timedOut());
        }
        Observation observation = run.parts.observer().stepStarted(run.claimed, run.pending.isEmpty() ? "model" : "tools");
        return run.context.load()
                .map(context -> context.filter(this::ownEvent))
                .chain(context -> run.pending.isEmpty() ? modelStep.run(context) : toolStep.run(context.window()))
                .onItemOrFailure().invoke((done, failure) -> observation.ended(failure))
                .invoke(done -> {
                    consecutiveFailures = 0;
                    run.outage.answered();
                })
                .call(done -> done ? Uni.createFrom().voidItem() : resetAttempts())
                .onFailure().recoverWithUni(this::onStepFailure);
    }

    /**
     * After this claim's first committed step, the run's earlier failed attempts no longer count
     * (ADR 0021). One statement, only for a run that had failed attempts; if it fails, the count
     * stays too high, never too low, and the next committed step tries again.
     */
    private Uni<Void> resetAttempts() {
        if (!attemptsToReset) {
            return Uni.createFrom().voidItem();
        }
        return run.parts.runs().resetAttempts(run.claimed.lease())
                .invoke(() -> attemptsToReset = false)
                .onFailure().invoke(e -> LOG.warnf("Could not reset the failed attempts of run %s: %s",
                        run.runId(), e.toString()))
                .onFailure().recoverWithNull();
    }

    /**
     * Whether this run may see the event: input queued after this run's own (enqueue policy)
     * belongs to later runs, which answer it in order; this run must not answer it first. Everything
     * else is shown, in particular what an earlier run wrote after this run's input was queued (its
     * tool results and answer, written while it finished): without them this run would see that
     * run's tool calls without their results (ADR 0018).
     */
    private boolean ownEvent(Event event) {
        return visibleTo(run.runId(), run.claimed.run().inputSeq(), event);
    }

    /** The rule of {@link #ownEvent}, for the run {@code runId} whose input is at {@code inputSeq}. */
    static boolean visibleTo(UUID runId, long inputSeq, Event event) {
        return event.seq() <= inputSeq || runId.equals(event.runId()) || !EventType.USER_MESSAGE.equals(event.type());
    }

    /**
     * A step failed. A stale lease ends the execution; a database that cannot be reached is not
     * the step's fault: the step is made again after a pause, uncounted, for as long as the lease
     * may still be held (ADR 0025); any other failure counts, and the uncommitted step is made
     * again from a fresh read until too many failed in a row (ADR 0021).
     */
    private Uni<Boolean> onStepFailure(Throwable failure) {
        if (failure instanceof FencedOutException) {
            discardHeldAnswer(failure);
            LogContext.of(run.claimed.run(),
                    () -> LOG.infof("Run %s is owned by another process now; stopping here", run.runId()));
            run.lost = true;
            return Uni.createFrom().item(true);
        }
        if (OutageRetry.isOutage(failure)) {
            // Nothing of the step was written (its commit retries on its own, see ExecutionState.commit).
            discardHeldAnswer(failure);
            return Uni.createFrom().item(false).onItem().delayIt().by(run.outage.failed(failure));
        }
        consecutiveFailures++;
        run.context.forget();
        boolean givingUp = consecutiveFailures >= MAX_CONSECUTIVE_FAILURES;
        if (givingUp && attempts.lastAttempt(run.claimed)) {
            run.answerHeld = false; // the run fails now: its step's model call is not made again
        } else {
            discardHeldAnswer(failure);
        }
        if (givingUp) {
            return giveUp(failure);
        }
        LogContext.of(run.claimed.run(),
                () -> LOG.warnf("Step of run %s failed (%s); trying again", run.runId(), failure.toString()));
        // The uncommitted step is simply made again after a pause; nothing of it was written.
        return Uni.createFrom().item(false).onItem().delayIt().by(Duration.ofMillis(500L * consecutiveFailures));
    }

    /**
     * A model answer this execution obtained and could not commit is lost: whoever makes the
     * step next (this execution, or the process that takes the run over) calls the model again
     * for it. Counted (berth_model_calls_repeated_total) and logged, once per answer; not when
     * the run fails instead, as then no one makes the step again.
     */
    private void discardHeldAnswer(Throwable failure) {
        if (!run.answerHeld) {
            return;
        }
        run.answerHeld = false;
        run.parts.observer().modelAnswerDiscarded(run.claimed);
        LogContext.of(run.claimed.run(), () -> LOG.infof("Run %s: the model answer of its step was not committed (%s);"
                + " the step's model call will be made again", run.runId(), failure.toString()));
    }

    /**
     * This claim's steps kept failing: a failed attempt. The last allowed one fails the run with
     * its error; an earlier one gives the run back for any process to claim, counting the
     * attempt in the same statement (ADR 0021). If even the failure cannot be committed, the
     * run is given back all the same, counted, and the next claim fails it.
     */
    private Uni<Boolean> giveUp(Throwable failure) {
        int failures = consecutiveFailures;
        boolean last = attempts.lastAttempt(run.claimed);
        if (!last) {
            run.parts.observer().runGivenUp(run.claimed);
        }
        LogContext.of(run.claimed.run(), () -> LOG.errorf(failure, "Run %s failed %d steps in a row; %s",
                run.runId(), failures, last ? "failing it, its attempts are used up" : "giving the run up"));
        Uni<Boolean> releaseFailed = run.parts.runs().releaseFailed(run.claimed.lease()).replaceWith(true)
                .onFailure().recoverWithItem(true);
        if (!last) {
            return releaseFailed;
        }
        return settlement.fail(attempts.exhaustedBy(run.claimed, failure))
                .onFailure(FencedOutException.class).recoverWithItem(true)
                .onFailure().recoverWithUni(e -> releaseFailed);
    }
}
