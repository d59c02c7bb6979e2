package dev.berth.runtime.engine;

import dev.berth.model.ToolCall;
import dev.berth.runtime.config.TeamConfig;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.team.ChildStart;
import dev.berth.runtime.run.team.SubagentCall;
import dev.berth.runtime.run.team.TeamStore;
import dev.berth.runtime.run.team.TeamTools;
import dev.berth.runtime.run.team.TeamTools.HandoffCall;
import dev.berth.runtime.run.team.TeamTools.TeamCall;
import dev.berth.runtime.tools.ToolOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tool step of a run whose pending calls are all team calls (sub-agents, handoffs). Every
 * outcome is one fenced commit:
 * <ul>
 *   <li>a handoff: the tool results, a {@code handoff} event, and the run's and session's agent
 *       changed; the run goes on with the new agent;</li>
 *   <li>sub-agent calls not yet started: child sessions and queued child runs are created and
 *       the run goes to {@code waiting}, releasing its lease;</li>
 *   <li>all children settled (the run was queued again by the last of them): their results
 *       become the calls' tool results and the run goes on.</li>
 * </ul>
 * A team limit crossed fails the run with a {@code team_*} error, and a child that failed on one
 * fails its parent the same way, so a loop stops the whole team run.
 *
 * <p>Threading: stateless; one call at a time per run, like every step.
 */
final class TeamStep {
    private final TeamStore teams;
    private final AgentStore agents;
    private final RunStore runs;
    private final TeamConfig limits;
    private final Duration leaseTtl;

    /** What the run does next. {@code agent} is the agent to go on with (changed by a handoff). */
    record Result(boolean done, Map<String, Integer> pending, AgentDefinition agent) {
    }

    TeamStep(TeamStore teams, AgentStore agents, RunStore runs, TeamConfig limits, Duration leaseTtl) {
        this.teams = teams;
        this.agents = agents;
        this.runs = runs;
        this.limits = limits;
        this.leaseTtl = leaseTtl;
    }

    /** Whether a call of this tool is a team call for the agent. */
    static boolean isTeamCall(AgentDefinition agent, ToolCall call) {
        return TeamTools.resolve(agent.spec(), call.name()).isPresent();
    }

    Uni<Result> run(ClaimedRun claimed, AgentDefinition agent, List<ToolCall> calls, Map<String, Integer> pending) {
        return decide(claimed, agent, calls, pending)
                .onFailure(MemberMissing.class).recoverWithUni(missing -> fail(claimed,
                        new RunError("team_member_missing", missing.getMessage())));
    }

    private Uni<Result> decide(ClaimedRun claimed, AgentDefinition agent, List<ToolCall> calls,
            Map<String, Integer> pending) {
        Map<ToolCall, TeamCall> meaning = new LinkedHashMap<>();
        calls.forEach(call -> meaning.put(call, TeamTools.resolve(agent.spec(), call.name()).orElseThrow()));
        for (Map.Entry<ToolCall, TeamCall> entry : meaning.entrySet()) {
            if (entry.getValue() instanceof HandoffCall handoff) {
                return handOff(claimed, agent, calls, entry.getKey(), handoff.agentName());
            }
        }
        return teams.calls(claimed.run().tenant(), claimed.run().id()).chain(existing -> {
            Map<String, SubagentCall> byCall = existing.stream()
                    .collect(Collectors.toMap(SubagentCall::callId, Function.identity()));
            List<ToolCall> toStart = calls.stream().filter(call -> !byCall.containsKey(call.id())).toList();
            if (!toStart.isEmpty()) {
                return start(claimed, meaning, toStart, pending);
            }
            if (existing.stream().anyMatch(SubagentCall::open)) {
                // Children still work (only after an unusual interleaving): wait again, nothing is lost.
                return wait(claimed, List.of(), List.of(), pending);
            }
            return resume(claimed, calls, byCall);
        });
    }

    private Uni<Result> start(ClaimedRun claimed, Map<ToolCall, TeamCall> meaning, List<ToolCall> toStart,
            Map<String, Integer> pending) {
        if (meaning.size() > limits.maxFanOut()) {
            return fail(claimed, new RunError("team_fan_out_exceeded", "the model called " + meaning.size()
                    + " sub-agents in one turn; the limit is " + limits.maxFanOut()));
        }
        return teams.position(claimed.run().tenant(), claimed.run().id()).chain(position -> {
            if (position.depth() + 1 > limits.maxDepth()) {
                return fail(claimed, new RunError("team_depth_exceeded", "sub-agent calls may nest at most "
                        + limits.maxDepth() + " deep"));
            }
            if (position.teamSteps() >= limits.maxTeamSteps()) {
                return fail(claimed, new RunError("team_steps_exceeded", "the team run made "
                        + position.teamSteps() + " model calls; the limit is " + limits.maxTeamSteps()));
            }
            return teams.pins(claimed.run().tenant(), claimed.run().sessionId())
                    .chain(pins -> children(claimed, meaning, toStart, pins))
                    .chain(children -> {
                        List<NewEvent> events = children.stream().map(EventPayloads::subagentStarted).toList();
                        return wait(claimed, events, children, pending);
                    });
        });
    }

    private Uni<List<ChildStart>> children(ClaimedRun claimed, Map<ToolCall, TeamCall> meaning,
            List<ToolCall> toStart, Map<String, Integer> pins) {
        // One after the other: a member not pinned is looked up in the agent store, whose sessions are not shared.
        return Multi.createFrom().iterable(toStart)
                .onItem().transformToUniAndConcatenate(call -> version(claimed, meaning.get(call).agentName(), pins)
                        .map(version -> new ChildStart(UUID.randomUUID(), UUID.randomUUID(), call.id(),
                                meaning.get(call).agentName(), version, TeamTools.input(call.arguments()))))
                .collect().asList();
    }

    private Uni<Result> wait(ClaimedRun claimed, List<NewEvent> events, List<ChildStart> children,
            Map<String, Integer> pending) {
        StepCommit commit = StepCommit.after(RunEvent.WAIT_FOR_CHILDREN).events(events).pending(pending).build();
        return teams.startChildren(claimed.lease(), commit, children, leaseTtl)
                .replaceWith(new Result(true, pending, null));
    }

    private Uni<Result> resume(ClaimedRun claimed, List<ToolCall> calls, Map<String, SubagentCall> byCall) {
        for (ToolCall call : calls) {
            RunError error = byCall.get(call.id()).error();
            if (error != null && error.code().startsWith("team_")) {
                return fail(claimed, new RunError(error.code(), "sub-agent '" + byCall.get(call.id()).agentName()
                        + "': " + error.message()));
            }
        }
        List<NewEvent> events = new ArrayList<>();
        for (ToolCall call : calls) {
            SubagentCall child = byCall.get(call.id());
            boolean failed = child.status() != RunStatus.COMPLETED;
            String output = switch (child.status()) {
                case COMPLETED -> child.output() == null ? "" : child.output();
                case FAILED -> "the agent '" + child.agentName() + "' failed: "
                        + (child.error() == null ? "unknown error" : child.error().code() + ": " + child.error().message());
                default -> "the agent '" + child.agentName() + "' did not finish: its run was "
                        + child.status().wire();
            };
            events.add(EventPayloads.toolResult(new ToolOutcome(call.id(), call.name(), output, failed, 1, Map.of()),
                    claimed.run().id()));
        }
        StepCommit commit = StepCommit.after(RunEvent.STEP).events(events).build();
        return runs.commit(claimed.lease(), commit, leaseTtl).replaceWith(new Result(false, Map.of(), null));
    }

    private Uni<Result> handOff(ClaimedRun claimed, AgentDefinition from, List<ToolCall> calls, ToolCall handoff,
            String target) {
        return teams.pins(claimed.run().tenant(), claimed.run().sessionId())
                .chain(pins -> version(claimed, target, pins))
                .chain(version -> agents.find(claimed.run().tenant(), target, version)
                        .map(found -> found.orElseThrow(() -> new MemberMissing(target + "@" + version))))
                .chain(to -> {
                    List<NewEvent> events = new ArrayList<>();
                    for (ToolCall call : calls) {
                        boolean chosen = call == handoff;
                        String output = chosen ? "Transferred to '" + target + "'."
                                : "not run: the conversation was handed to '" + target + "'";
                        events.add(EventPayloads.toolResult(
                                new ToolOutcome(call.id(), call.name(), output, !chosen, 1, Map.of()),
                                claimed.run().id()));
                    }
                    events.add(EventPayloads.handoff(from, to, handoff.id()));
                    StepCommit commit = StepCommit.after(RunEvent.STEP).events(events).build();
                    return teams.handOff(claimed.lease(), commit, to.name(), to.version(), leaseTtl)
                            .replaceWith(new Result(false, Map.of(), to));
                });
    }

    /** The version the session pinned for a member, or the latest for a member it did not pin. */
    private Uni<Integer> version(ClaimedRun claimed, String name, Map<String, Integer> pins) {
        Integer pinned = pins.get(name);
        if (pinned != null) {
            return Uni.createFrom().item(pinned);
        }
        return agents.find(claimed.run().tenant(), name, null)
                .map(found -> found.orElseThrow(() -> new MemberMissing(name)).version());
    }

    /** A team member the agent names cannot be found (a definition is never deleted, so this is a bug or tampering). */
    private static final class MemberMissing extends RuntimeException {
        MemberMissing(String agent) {
            super("the team member '" + agent + "' does not exist", null, false, false);
        }
    }

    /**
     * Fails the run on a team limit or error. The team calls of the turn are still pending in the
     * run's row: the store answers each in the same commit, before run.failed, saying why (the
     * error's code), so the log stays a valid conversation (ADR 0018, 0020: one writer).
     */
    private Uni<Result> fail(ClaimedRun claimed, RunError error) {
        StepCommit commit = StepCommit.after(RunEvent.FAIL).event(EventPayloads.runFailed(error)).error(error).build();
        return runs.commit(claimed.lease(), commit, leaseTtl).replaceWith(new Result(true, Map.of(), null));
    }
}
