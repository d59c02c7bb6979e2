package dev.berth.runtime.engine;

import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.memory.MemoryTools;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.tools.ToolOutcome;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tool step of an execution: runs the pending calls Berth executes itself and commits their
 * results; pauses the run for client-side tools and approvals; hands team calls (sub-agents,
 * handoffs) to {@link TeamStep}.
 */
final class ToolStep {
    private final ExecutionState run;
    private final Settlement settlement;

    ToolStep(ExecutionState run, Settlement settlement) {
        this.run = run;
        this.settlement = settlement;
    }

    /** @return true when the execution is over (the run paused, waits for children, or failed) */
    Uni<Boolean> run(List<Event> window) {
        List<ToolCall> calls = ToolTurn.pendingCalls(window, run.runId(), run.pending);
        if (calls.isEmpty()) {
            return settlement.fail(new RunError("internal_error", "the pending tool calls are not in the context window"));
        }
        // Team calls (sub-agents, handoffs) go last: the turn's ordinary calls are answered first.
        List<ToolCall> teamCalls = calls.stream().filter(call -> TeamStep.isTeamCall(run.agent, call)).toList();
        if (teamCalls.size() == calls.size()) {
            return teamStep(teamCalls);
        }
        Map<String, Integer> teamPending = new LinkedHashMap<>();
        teamCalls.forEach(call -> teamPending.put(call.id(), run.pending.getOrDefault(call.id(), 0)));
        List<ToolCall> ordinary = calls.stream().filter(call -> !teamPending.containsKey(call.id())).toList();
        return ToolTurn.plan(ordinary, run.agent.spec(), run.parts.tools()::requiresApproval,
                        () -> run.parts.runs().pendingActions(run.claimed.run().tenant(), run.runId()))
                .chain(turn -> approvedStillAllowed(turn)
                        .chain(allowed -> executeTools(allowed.runNow()).map(allowed::withRefused))
                        .chain(outcomes -> turn.pendingActions().isEmpty()
                                ? commitToolResults(outcomes, teamPending)
                                : pause(turn, outcomes)))
                .onFailure(RunTimedOut.class).recoverWithUni(e -> settlement.fail(run.timedOut()));
    }

    /**
     * The turn with every approved call checked against the agent's policy again, now that it is
     * about to run: a call the agent's latest version no longer allows is refused, not run. Read
     * only when a turn runs approved calls, so the ordinary tool step costs nothing more.
     */
    private Uni<ToolTurn> approvedStillAllowed(ToolTurn turn) {
        if (turn.approved().isEmpty()) {
            return Uni.createFrom().item(turn);
        }
        return run.parts.agents().find(run.claimed.run().tenant(), run.agent.name(), null)
                .map(latest -> turn.refusing(turn.approved().stream()
                        .filter(call -> !ApprovalBinding.stillAllowed(latest.orElse(null), call))
                        .toList(), call -> ApprovalBinding.disallowed(call, latest.orElse(null))));
    }

    private Uni<Boolean> teamStep(List<ToolCall> calls) {
        return run.parts.teams().run(run.claimed, run.agent, calls, run.pending).map(result -> {
            // Team steps commit through their own store (and a handoff changes whose history is shown).
            run.committedElsewhere();
            run.context.forget();
            run.pending = result.pending();
            if (result.agent() != null) {
                run.agent = run.options.applyTo(result.agent()); // the run's options hold for whoever answers it
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
        boolean counted = run.startedWithAnswer.containsAll(calls.stream().map(ToolCall::id).toList());
        run.startedWithAnswer = Set.of();
        Map<String, Integer> attempts = new LinkedHashMap<>(run.pending);
        if (!counted) {
            calls.forEach(call -> attempts.put(call.id(), run.pending.getOrDefault(call.id(), 0) + 1));
        }
        // Recording the same starts twice changes nothing, so a try whose answer was lost may simply be made again.
        Supplier<Uni<Void>> startTools = () -> run.parts.runs().startTools(run.claimed.lease(), attempts,
                run.parts.config().leaseTtl());
        Uni<Void> start = counted ? Uni.createFrom().voidItem() : run.outage.write(startTools, startTools);
        return start
                .invoke(() -> run.pending = attempts)
                .chain(() -> {
                    String actor = run.claimed.actorId() == null ? "" : run.claimed.actorId();
                    List<ToolInvocation> invocations = calls.stream()
                            .map(call -> new ToolInvocation(run.claimed.run().tenant().toString(),
                                    run.claimed.run().sessionId(), run.runId(), actor, call, attempts.get(call.id()),
                                    run.state))
                            .toList();
                    return run.parts.tools().executeAll(invocations, new HashSet<>(run.agent.spec().tools()),
                            () -> run.cancelRequested);
                })
                // The wall-clock limit cuts tools short too; their results, if they come, are not committed.
                .ifNoItem().after(run.remaining()).failWith(RunTimedOut::new);
    }

    /**
     * Commits what ran and pauses the run for the rest: it goes to requires_action and its
     * lease is released in the same transaction, so this execution is over.
     */
    private Uni<Boolean> pause(ToolTurn turn, List<ToolOutcome> outcomes) {
        StepCommit commit = turn.pauseCommit(run.runId(), outcomes, run.pending).onState(run.state);
        // Tried again while the database cannot be reached, so the tools' results are not thrown away; a
        // try whose answer was lost had paused the run, and the next one is refused by the fence.
        Supplier<Uni<Void>> pause = () -> run.parts.runs().pause(run.claimed.lease(), commit, turn.pendingActions(),
                run.parts.config().leaseTtl());
        return run.outage.write(pause, pause)
                .invoke(() -> run.outcome = commit.status())
                .replaceWith(true);
    }

    /** @param left the calls still pending after these results (team calls of the same turn) */
    private Uni<Boolean> commitToolResults(List<ToolOutcome> outcomes, Map<String, Integer> left) {
        List<NewEvent> events = new ArrayList<>();
        Map<String, Object> statePatch = new HashMap<>();
        for (ToolOutcome outcome : outcomes) {
            events.add(EventPayloads.toolResult(outcome, run.runId()));
            statePatch.putAll(outcome.statePatch());
        }
        StepCommit commit = StepCommit.after(RunEvent.STEP).events(events).pending(left).statePatch(statePatch)
                .build();
        return run.commit(commit).map(ignored -> {
            if (outcomes.stream().anyMatch(outcome -> MemoryTools.BLOCK_TOOL.equals(outcome.name()))) {
                run.context.forget(); // the pinned blocks changed
            }
            run.pending = left;
            return false;
        });
    }
}
