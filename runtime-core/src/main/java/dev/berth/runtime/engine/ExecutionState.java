package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.run.BudgetState;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunOptions;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one execution of a claimed run knows and changes as it goes: the agent, the pending tool
 * calls, the session's state, the model calls made, the status last committed, the kept context.
 * The parts of a {@link RunExecution} ({@link ModelStep}, {@link ToolStep}, {@link Settlement})
 * share it; every step commit goes through {@link #commit}, which keeps it in line with what
 * the store holds.
 *
 * <p>Threading: steps run one after the other, so one step at a time reads and writes it; only
 * {@link #cancelRequested} and {@link #outcome} are read from other threads.
 */
final class ExecutionState {
    final EngineParts parts;
    final ClaimedRun claimed;
    /** The run's context window as this execution read and extended it. */
    final KeptContext context;
    /** Counted from the start, or from the resumption after a pause: waiting for a human is not running. */
    final Instant deadline;
    /** The run's agent with the run's own options applied (ADR 0036); a handoff replaces it. */
    AgentDefinition agent;
    /** What the run sets for itself: applied to {@link #agent}, and to each model request it makes. */
    final RunOptions options;
    /** Tool calls of the last model answer still without a result, with how often each was started. */
    Map<String, Integer> pending;
    /** The session's state; while this run holds the lease only its own commits change it. */
    Map<String, Object> state;
    int modelCalls;
    /** Tokens (input + output) the run spent, over all its claims: checked against the agent's maxRunTokens. */
    long runTokens;
    /** The budget state the last claim or commit read: the next model call is checked against it (ADR 0032). */
    BudgetState budget;
    /** Set when the model said the context was too long and a compaction was made for it: one retry only. */
    boolean overflowCompacted;
    /** Tool calls whose start this execution committed with the model's answer; the tool step runs them next. */
    Set<String> startedWithAnswer = Set.of();
    volatile boolean cancelRequested;
    /** Set when the fence or the heartbeat says the lease is gone: nothing more is written. */
    volatile boolean lost;
    /**
     * The run's committed steps as the store counts them ({@code runs.step}): what it had when
     * claimed plus every step this execution committed. A commit tried again after an unknown
     * outcome names it, so the store can tell a try that landed (ADR 0025).
     */
    int steps;
    /** Whether this execution holds a model answer it has not committed yet. */
    boolean answerHeld;
    /** Tries the step's reads and writes again while the database cannot be reached. */
    final OutageRetry outage;
    /** The status this execution last committed; RUNNING until it settles or pauses the run. */
    volatile RunStatus outcome = RunStatus.RUNNING;

    ExecutionState(EngineParts parts, ClaimedRun claimed, AgentDefinition agent) {
        this.parts = parts;
        this.claimed = claimed;
        this.options = claimed.run().options();
        this.agent = options.applyTo(agent);
        this.pending = new LinkedHashMap<>(claimed.pendingTools());
        this.modelCalls = claimed.run().modelCalls();
        this.runTokens = claimed.run().usage() == null ? 0 : claimed.run().usage().totalTokens();
        this.budget = claimed.budget();
        this.steps = claimed.run().step();
        this.state = claimed.sessionState();
        this.cancelRequested = claimed.cancelRequested();
        Instant started = claimed.activeSince() == null ? parts.clock().instant() : claimed.activeSince();
        this.deadline = started.plus(agent.spec().limits().runTimeout());
        this.context = new KeptContext(parts, claimed.run(), claimed.actorId(), agent);
        this.outage = new OutageRetry(this);
    }

    UUID runId() {
        return claimed.run().id();
    }

    /**
     * Commits one step, fenced by the lease, and takes its effects into this execution's view;
     * its state patch is applied here, to the state this run holds ({@code StatePatch}). While
     * the database cannot be reached the same commit is tried again, under the same lease, so
     * what the step holds (a model answer) is never thrown away for an outage (ADR 0025).
     */
    Uni<Void> commit(StepCommit step) {
        StepCommit commit = step.onState(state);
        int before = steps;
        Duration ttl = parts.config().leaseTtl();
        return outage.write(() -> parts.runs().commitStep(claimed.lease(), commit, ttl),
                        () -> parts.runs().commitStepAgain(claimed.lease(), commit, before, ttl))
                .invoke(committed -> {
                    steps = before + 1;
                    answerHeld = false;
                    runTokens += commit.usage().totalTokens();
                    if (committed.budget() != null) {
                        budget = committed.budget();
                    }
                    context.committed(commit.events(), committed.lastSeq());
                    if (commit.sessionState() != null) {
                        state = commit.sessionState();
                    }
                    outcome = commit.status();
                })
                .replaceWithVoid();
    }

    /** A step committed by another part (a team step's own store): counted as the store counts it. */
    void committedElsewhere() {
        steps++;
    }

    /** Time left before the wall-clock limit; at least a millisecond, as timers need a positive delay. */
    Duration remaining() {
        Duration left = Duration.between(parts.clock().instant(), deadline);
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    boolean pastDeadline() {
        return !parts.clock().instant().isBefore(deadline);
    }

    RunError timedOut() {
        return new RunError("run_timeout", "the run exceeded its time limit of "
                + agent.spec().limits().runTimeout().toSeconds() + " s");
    }
}
