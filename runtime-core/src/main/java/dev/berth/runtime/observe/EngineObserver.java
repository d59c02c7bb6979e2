package dev.berth.runtime.observe;

import dev.berth.model.ChatRequest;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunStatus;

/**
 * What the engine tells the outside about its work, for metrics, traces and log context. The
 * engine calls it at the points of a run's execution on this process: claim (or takeover), each
 * step, each model call, each tool call, and the end of the execution here. The deploy module
 * implements it with Micrometer and OpenTelemetry; runtime-core only knows this port.
 *
 * <p>Lifecycle: one instance per process, {@link #NONE} when no implementation is present.
 * For one run, {@link #runStarted} comes first and {@link #runEnded} last; steps of a run do
 * not overlap, tool calls of one step may. A run may start and end several times on several
 * processes (release on drain, takeover, pause).
 *
 * <p>Threading: called from the engine's threads (event loops, virtual threads of blocking
 * tools); implementations must be thread safe and must not block.
 *
 * <p>Errors: an implementation must not throw; the engine does not guard against it, since a
 * throwing observer would be a bug to fix, not a condition to run with.
 */
public interface EngineObserver {
    /** Observes nothing. */
    EngineObserver NONE = new EngineObserver() {
    };

    /** This process claimed the run; {@link ClaimedRun#takeover()} tells a lease takeover. */
    default void runStarted(ClaimedRun claimed) {
    }

    /**
     * This process stopped executing the run. The claim identifies the execution: a process may
     * take over its own run (its lease expired), so two executions of one run can overlap briefly.
     *
     * @param status the status the run was left in by this process: final (completed, failed,
     *               cancelled), paused (requires_action), or running when it was released (drain),
     *               lost or given up
     */
    default void runEnded(ClaimedRun claimed, RunStatus status) {
    }

    /**
     * This process gave the run back after its steps kept failing (a failed attempt, ADR 0021);
     * {@link #runEnded} follows. A database outage never gives a run up (ADR 0025).
     */
    default void runGivenUp(ClaimedRun claimed) {
    }

    /**
     * A model answer this process obtained for the run was not committed (a failed commit, a
     * lost lease): the step's model call is made again, here or by the process that takes the
     * run over, and paid twice (ADR 0025).
     */
    default void modelAnswerDiscarded(ClaimedRun claimed) {
    }

    /** A step of the run begins: {@code model} (context, model call, commit) or {@code tools}. */
    default Observation stepStarted(ClaimedRun claimed, String kind) {
        return Observation.NONE;
    }

    /** A model call for the run begins (within a step). */
    default ModelCallObservation modelCallStarted(ClaimedRun claimed, ChatRequest request) {
        return ModelCallObservation.NONE;
    }

    /** A tool call begins (within the tools step of {@link ToolInvocation#runId()}). */
    default ToolCallObservation toolCallStarted(ToolInvocation invocation) {
        return ToolCallObservation.NONE;
    }
}
