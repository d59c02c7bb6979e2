package dev.berth.runtime.engine;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.model.Usage;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.memory.MemoryTools;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.observe.Observation;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.tools.ToolOutcome;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The agent loop of one claimed run, as a durable state machine: each step (a model call, or
 * the execution of the tool calls it asked for) is committed in one transaction fenced by the
 * lease epoch, so a successor resumes from the last committed step.
 *
 * <p>Threading: steps run one after the other on whatever thread completes the previous one;
 * {@link #cancel()}, {@link #lose()} and {@link #drain()} may be called from any thread.
 */
final class RunExecution {
    private static final Logger LOG = Logger.getLogger(RunExecution.class);
    private static final int MAX_CONSECUTIVE_FAILURES = 5;

    private final EngineParts parts;
    private final ClaimedRun claimed;
    /** The run's agent; a handoff replaces it. */
    private AgentDefinition agent;
    private final Instant deadline;
    private final StopSignal stopSignal = new StopSignal();
    private volatile boolean cancelRequested;
    private volatile boolean lost;
    private volatile boolean draining;
    private Map<String, Integer> pending;
    /** The session's state; while this run holds the lease only its own commits change it. */
    private Map<String, Object> state;
    private int modelCalls;
    private int consecutiveFailures;
    /** The status this execution last committed; RUNNING until it settles or pauses the run. */
    private volatile RunStatus outcome = RunStatus.RUNNING;
    private final KeptContext memory;
    /** Set when the model said the context was too long and a compaction was made for it: one retry only. */
    private boolean overflowCompacted;
    /** Tool calls whose start this execution committed with the model's answer; the tool step runs them next. */
    private Set<String> startedWithAnswer = Set.of();
    private final AttemptCap attempts;
    /** Whether the run's failed attempts are still to be set back to 0 after this claim's first committed step. */
    private boolean attemptsToReset;

    RunExecution(EngineParts parts, ClaimedRun claimed, AgentDefinition agent) {
        this.parts = parts;
        this.claimed = claimed;
        this.agent = agent;
        this.pending = new LinkedHashMap<>(claimed.pendingTools());
        this.modelCalls = claimed.run().modelCalls();
        this.state = claimed.sessionState();
        this.cancelRequested = claimed.cancelRequested();
        // Counted from the start, or from the resumption after a pause: waiting for a human is not running.
        Instant started = claimed.activeSince() == null ? parts.clock().instant() : claimed.activeSince();
        this.deadline = started.plus(agent.spec().limits().runTimeout());
        this.memory = new KeptContext(parts, claimed.run(), claimed.actorId(), agent);
        this.attempts = new AttemptCap(parts.config().maxAttempts());
        this.attemptsToReset = claimed.failedAttempts() > 0;
    }

    Run run() {
        return claimed.run();
    }

    dev.berth.runtime.run.Lease lease() {
        return claimed.lease();
    }

    /** Runs steps until the run settles, the lease is lost or the process drains. Never fails. */
    Uni<Void> execute() {
        return step().chain(done -> done ? Uni.createFrom().voidItem() : execute());
    }

    void cancel() {
        cancelRequested = true;
        stopSignal.fire();
    }

    void lose() {
        lost = true;
        stopSignal.fire();
    }

    /** Stops at the next step boundary and gives the run to another process. */
    void drain() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    RunStatus outcome() {
        return outcome;
    }

    /** @return true when this execution is over */
    private Uni<Boolean> step() {
        if (lost) {
            return Uni.createFrom().item(true);
        }
        if (draining) {
            return parts.runs().release(claimed.lease()).replaceWith(true)
                    .onFailure().recoverWithItem(true);
        }
        if (cancelRequested) {
            return settle(RunStatus.CANCELLED, List.of(EventPayloads.runCancelled("cancel requested")), null, null);
        }
        if (attempts.usedUp(claimed)) {
            return fail(attempts.usedUpError());
        }
        if (!parts.clock().instant().isBefore(deadline)) {
            return fail(timedOut());
        }
        Observation observation = parts.observer().stepStarted(claimed, pending.isEmpty() ? "model" : "tools");
        return memory.load()
                .map(context -> context.filter(this::ownEvent))
                .chain(context -> pending.isEmpty() ? modelStep(context) : toolStep(context.window()))
                .onItemOrFailure().invoke((done, failure) -> observation.ended(failure))
                .invoke(done -> consecutiveFailures = 0)
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
        return parts.runs().resetAttempts(claimed.lease())
                .invoke(() -> attemptsToReset = false)
                .onFailure().invoke(e -> LOG.warnf("Could not reset the failed attempts of run %s: %s",
                        claimed.run().id(), e.toString()))
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
        return visibleTo(claimed.run().id(), claimed.run().inputSeq(), event);
    }

    /** The rule of {@link #ownEvent}, for the run {@code runId} whose input is at {@code inputSeq}. */
    static boolean visibleTo(UUID runId, long inputSeq, Event event) {
        return event.seq() <= inputSeq || runId.equals(event.runId()) || !EventType.USER_MESSAGE.equals(event.type());
    }

    private Uni<Boolean> modelStep(StepContext context) {
        if (modelCalls >= agent.spec().limits().maxSteps()) {
            return fail(new RunError("max_steps_exceeded", "the run reached the agent's limit of "
                    + agent.spec().limits().maxSteps() + " model calls"));
        }
        return assemble(context)
                .chain(assembled -> {
                    if (assembled.overflowed()) {
                        // Events fell out of the window: fold the older part into the summary first (its own step).
                        int keep = (int) (assembled.eventBudget() * parts.memoryConfig().compactionKeep());
                        return compact(context, keep, false);
                    }
                    return call(assembled.request(), context);
                });
    }

    /** The model request's context, assembled off the event loop when much is left to count. */
    private Uni<ContextAssembler.Assembled> assemble(StepContext context) {
        return parts.context().offLoop(agent, context, () -> parts.context().assemble(agent, context));
    }

    private Uni<Boolean> call(ChatRequest request, StepContext context) {
        // The wall-clock limit also cuts a model call short; a null answer means "stopped", see step().
        Uni<ChatResponse> answer = ModelAnswer.of(parts, claimed, modelCalls + 1, request)
                .ifNoItem().after(remaining()).failWith(RunTimedOut::new);
        return stopSignal.race(answer)
                .chain(response -> response == null ? Uni.createFrom().item(false) : commitAnswer(response))
                .onFailure(RunTimedOut.class).recoverWithUni(e -> fail(timedOut()))
                .onFailure(ModelException.ContextLengthExceeded.class).recoverWithUni(e -> overflowCompacted
                        ? fail(RunError.of((ModelException) e))
                        // The model's window is smaller than the budget said: keep only the newest exchange, retry once.
                        : compact(context, 0, true))
                .onFailure(ModelException.class).recoverWithUni(e -> fail(RunError.of((ModelException) e)));
    }

    /**
     * A compaction step: summarises the older events of the window with a model call and commits
     * the summary as a {@code context.compacted} event, fenced like every step. The next step
     * re-reads the context from after the summary.
     *
     * @param keepTokens  the tokens of newest exchanges kept verbatim
     * @param overflow    whether the model refused the context; then a failure fails the run
     */
    private Uni<Boolean> compact(StepContext context, int keepTokens, boolean overflow) {
        return parts.context().offLoop(agent, context, () -> parts.context().toFold(agent, context, keepTokens))
                .chain(fold -> compact(context, fold, overflow));
    }

    private Uni<Boolean> compact(StepContext context, List<Event> fold, boolean overflow) {
        if (fold.isEmpty()) {
            return overflow ? fail(new RunError("context_length_exceeded",
                    "the newest exchange alone exceeds the model's context window")) : sendTruncated(context);
        }
        return parts.compactor().compact(agent, context.summaryText(), fold)
                .ifNoItem().after(remaining()).failWith(RunTimedOut::new)
                .chain(compaction -> commit(new StepCommit(List.of(compaction.event()), RunStatus.RUNNING,
                        compaction.response().usage(), false, pending, null, null, null)))
                .map(ignored -> {
                    // The window now starts after the new summary: read it afresh.
                    memory.forget();
                    overflowCompacted = overflow;
                    return false;
                })
                .onFailure(RunTimedOut.class).recoverWithUni(e -> fail(timedOut()))
                .onFailure(ModelException.class).recoverWithUni(e -> {
                    if (overflow) {
                        return fail(RunError.of((ModelException) e));
                    }
                    LOG.warnf("Compaction for run %s failed (%s); sending the newest events without it",
                            claimed.run().id(), e.toString());
                    return sendTruncated(context);
                });
    }

    /** The model call with what fits, when nothing can be folded (or folding failed). */
    private Uni<Boolean> sendTruncated(StepContext context) {
        return assemble(context)
                .chain(assembled -> call(assembled.request(), context));
    }

    /**
     * Commits the model's answer. When the tool calls it asks for will all run at once (no team,
     * client-side or approval calls), the same statement records their start (attempt 1), so
     * the tool step needs no statement of its own before running them (ADR 0011).
     */
    private Uni<Boolean> commitAnswer(ChatResponse response) {
        List<ToolCall> toolCalls = response.toolCalls();
        boolean last = toolCalls.isEmpty();
        boolean startNow = !last && ToolTurn.allRunNow(toolCalls, agent, parts.tools()::requiresApproval);
        NewEvent event = EventPayloads.assistantMessage(response, last);
        Map<String, Integer> calls = new LinkedHashMap<>();
        toolCalls.forEach(call -> calls.put(call.id(), startNow ? 1 : 0));
        Set<String> started = startNow ? Set.copyOf(calls.keySet()) : Set.of();
        StepCommit commit = new StepCommit(List.of(event), last ? RunStatus.COMPLETED : RunStatus.RUNNING,
                response.usage(), true, calls, last ? orEmpty(response.content()) : null, null, null, started);
        return commit(commit).map(ignored -> {
            overflowCompacted = false;
            modelCalls++;
            pending = calls;
            startedWithAnswer = started;
            return last;
        });
    }

    private Uni<Boolean> toolStep(List<Event> window) {
        List<ToolCall> calls = ToolTurn.pendingCalls(window, claimed.run().id(), pending);
        if (calls.isEmpty()) {
            return fail(new RunError("internal_error", "the pending tool calls are not in the context window"));
        }
        // Team calls (sub-agents, handoffs) go last: the turn's ordinary calls are answered first.
        List<ToolCall> teamCalls = calls.stream().filter(call -> TeamStep.isTeamCall(agent, call)).toList();
        if (teamCalls.size() == calls.size()) {
            return teamStep(teamCalls);
        }
        Map<String, Integer> teamPending = new LinkedHashMap<>();
        teamCalls.forEach(call -> teamPending.put(call.id(), pending.getOrDefault(call.id(), 0)));
        List<ToolCall> ordinary = calls.stream().filter(call -> !teamPending.containsKey(call.id())).toList();
        return ToolTurn.plan(ordinary, agent.spec(), parts.tools()::requiresApproval,
                        () -> parts.runs().pendingActions(claimed.run().tenant(), claimed.run().id()))
                .chain(turn -> executeTools(turn.runNow())
                        .chain(outcomes -> turn.pendingActions().isEmpty()
                                ? commitToolResults(outcomes, teamPending)
                                : pause(turn, outcomes)))
                .onFailure(RunTimedOut.class).recoverWithUni(e -> fail(timedOut()));
    }

    private Uni<Boolean> teamStep(List<ToolCall> calls) {
        return parts.teams().run(claimed, agent, calls, pending).map(result -> {
            // Team steps commit through their own store (and a handoff changes whose history is shown).
            memory.forget();
            pending = result.pending();
            if (result.agent() != null) {
                agent = result.agent();
            }
            return result.done();
        });
    }

    /** Executes the calls Berth runs itself; their start is committed first (fenced), see startTools. */
    private Uni<List<ToolOutcome>> executeTools(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // The attempt of each call is how often it was started before, plus this one. The start is
        // committed before the tools run, so a successor knows a call may have run and marks it a retry;
        // calls started with the answer this execution committed are counted already.
        boolean counted = startedWithAnswer.containsAll(calls.stream().map(ToolCall::id).toList());
        startedWithAnswer = Set.of();
        Map<String, Integer> attempts = new LinkedHashMap<>(pending);
        if (!counted) {
            calls.forEach(call -> attempts.put(call.id(), pending.getOrDefault(call.id(), 0) + 1));
        }
        Uni<Void> start = counted ? Uni.createFrom().voidItem()
                : parts.runs().startTools(claimed.lease(), attempts, parts.config().leaseTtl());
        return start
                .invoke(() -> pending = attempts)
                .chain(() -> {
                    String actor = claimed.actorId() == null ? "" : claimed.actorId();
                    List<ToolInvocation> invocations = calls.stream()
                            .map(call -> new ToolInvocation(claimed.run().tenant().toString(), claimed.run().sessionId(),
                                    claimed.run().id(), actor, call, attempts.get(call.id()), state))
                            .toList();
                    return parts.tools().executeAll(invocations, new HashSet<>(agent.spec().tools()),
                            () -> cancelRequested);
                })
                // The wall-clock limit cuts tools short too; their results, if they come, are not committed.
                .ifNoItem().after(remaining()).failWith(RunTimedOut::new);
    }

    /**
     * Commits what ran and pauses the run for the rest: it goes to requires_action and its
     * lease is released in the same transaction, so this execution is over.
     */
    private Uni<Boolean> pause(ToolTurn turn, List<ToolOutcome> outcomes) {
        StepCommit commit = turn.pauseCommit(claimed.run().id(), outcomes, pending);
        return parts.runs().pause(claimed.lease(), commit, turn.pendingActions(), parts.config().leaseTtl())
                .invoke(() -> outcome = commit.status())
                .replaceWith(true);
    }

    /** @param left the calls still pending after these results (team calls of the same turn) */
    private Uni<Boolean> commitToolResults(List<ToolOutcome> outcomes, Map<String, Integer> left) {
        List<NewEvent> events = new ArrayList<>();
        Map<String, Object> statePatch = new HashMap<>();
        for (ToolOutcome outcome : outcomes) {
            events.add(EventPayloads.toolResult(outcome, claimed.run().id()));
            statePatch.putAll(outcome.statePatch());
        }
        StepCommit commit = new StepCommit(events, RunStatus.RUNNING, Usage.ZERO, false, left, null, null,
                statePatch);
        return commit(commit).map(ignored -> {
            if (outcomes.stream().anyMatch(outcome -> MemoryTools.BLOCK_TOOL.equals(outcome.name()))) {
                memory.forget(); // the pinned blocks changed
            }
            pending = left;
            return false;
        });
    }

    private Uni<Boolean> fail(RunError error) {
        return settle(RunStatus.FAILED, List.of(EventPayloads.runFailed(error)), null, error);
    }

    private Uni<Boolean> settle(RunStatus status, List<NewEvent> events, String output, RunError error) {
        if (pending.isEmpty()) {
            return settled(status, events, output, error);
        }
        // Calls that will never get a result get one saying why, committed with the end of the run,
        // so the log itself stays a valid conversation for the runs after this one (ADR 0018).
        String reason = status == RunStatus.CANCELLED ? "cancelled" : error == null ? "interrupted" : error.code();
        return memory.load().chain(context -> {
            List<NewEvent> all = new ArrayList<>(ToolTurn.unanswered(context.window(), claimed.run().id(), pending, reason));
            all.addAll(events);
            return settled(status, all, output, error);
        });
    }

    private Uni<Boolean> settled(RunStatus status, List<NewEvent> events, String output, RunError error) {
        StepCommit commit = new StepCommit(events, status, Usage.ZERO, false, Map.of(), output, error, null);
        return commit(commit).invoke(() -> pending = Map.of()).replaceWith(true);
    }

    private Uni<Void> commit(StepCommit commit) {
        return parts.runs().commit(claimed.lease(), commit, parts.config().leaseTtl())
                .invoke(lastSeq -> {
                    memory.committed(commit.events(), lastSeq);
                    state = commit.patchedState(state);
                    outcome = commit.status();
                })
                .replaceWithVoid();
    }

    private Uni<Boolean> onStepFailure(Throwable failure) {
        if (failure instanceof FencedOutException) {
            LogContext.of(claimed.run(),
                    () -> LOG.infof("Run %s is owned by another process now; stopping here", claimed.run().id()));
            lost = true;
            return Uni.createFrom().item(true);
        }
        consecutiveFailures++;
        memory.forget();
        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            return giveUp(failure);
        }
        LogContext.of(claimed.run(),
                () -> LOG.warnf("Step of run %s failed (%s); trying again", claimed.run().id(), failure.toString()));
        // The uncommitted step is simply made again after a pause; nothing of it was written.
        return Uni.createFrom().item(false).onItem().delayIt().by(Duration.ofMillis(500L * consecutiveFailures));
    }

    /**
     * This claim's steps kept failing: a failed attempt. The last allowed one fails the run with
     * its error; an earlier one gives the run back for any process to claim, counting the
     * attempt in the same statement (ADR 0021). If even the failure cannot be committed, the
     * run is given back all the same, counted, and the next claim fails it.
     */
    private Uni<Boolean> giveUp(Throwable failure) {
        int failures = consecutiveFailures;
        boolean last = attempts.lastAttempt(claimed);
        LogContext.of(claimed.run(), () -> LOG.errorf(failure, "Run %s failed %d steps in a row; %s",
                claimed.run().id(), failures, last ? "failing it, its attempts are used up" : "giving the run up"));
        Uni<Boolean> releaseFailed = parts.runs().releaseFailed(claimed.lease()).replaceWith(true)
                .onFailure().recoverWithItem(true);
        if (!last) {
            return releaseFailed;
        }
        return fail(attempts.exhaustedBy(claimed, failure))
                .onFailure(FencedOutException.class).recoverWithItem(true)
                .onFailure().recoverWithUni(e -> releaseFailed);
    }

    /** Time left before the wall-clock limit; at least a millisecond, as timers need a positive delay. */
    private Duration remaining() {
        Duration left = Duration.between(parts.clock().instant(), deadline);
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    private RunError timedOut() {
        return new RunError("run_timeout", "the run exceeded its time limit of "
                + agent.spec().limits().runTimeout().toSeconds() + " s");
    }

    /** The run's wall-clock limit was reached during a model call or a tool call. */
    private static final class RunTimedOut extends RuntimeException {
        RunTimedOut() {
            super("run timed out", null, false, false);
        }
    }


    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
