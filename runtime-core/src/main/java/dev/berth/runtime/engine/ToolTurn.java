package dev.berth.runtime.engine;

import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.tools.ToolOutcome;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How the pending calls of one tool step are handled: the calls Berth executes now, and the
 * results the run must wait for from outside (a client-side tool's output, a human's
 * decision). A turn with anything to wait for ends in a pause (see {@link #pauseCommit}).
 *
 * @param runNow  calls to execute in this step (including calls a human approved)
 * @param pendingActions what the run waits for once {@code runNow} is done
 */
record ToolTurn(List<ToolCall> runNow, List<PendingAction> pendingActions) {

    /**
     * Sorts the calls. Decisions already taken are read (one query) only when some call needs
     * approval, so that the ordinary tool step costs nothing more.
     *
     * @param toolNeedsApproval whether the tool itself is marked as needing approval
     * @param decisions         the run's pending actions with their answers
     */
    static Uni<ToolTurn> plan(List<ToolCall> calls, AgentSpec spec, Predicate<String> toolNeedsApproval,
            Supplier<Uni<List<PendingAction>>> decisions) {
        Predicate<String> needsApproval = needsApproval(spec, toolNeedsApproval);
        boolean anyApproval = calls.stream().anyMatch(call -> spec.clientTool(call.name()).isEmpty()
                && needsApproval.test(call.name()));
        Uni<List<PendingAction>> known = anyApproval ? decisions.get() : Uni.createFrom().item(List.of());
        return known.map(actions -> {
            Map<String, PendingAction> byId = new HashMap<>();
            actions.forEach(action -> byId.put(action.callId(), action));
            List<ToolCall> runNow = new ArrayList<>();
            List<PendingAction> pendingActions = new ArrayList<>();
            for (ToolCall call : calls) {
                if (spec.clientTool(call.name()).isPresent()) {
                    pendingActions.add(PendingAction.unanswered(call.id(), ActionKind.CLIENT_TOOL, call.name(), call.arguments()));
                } else if (!needsApproval.test(call.name()) || approved(byId.get(call.id()))) {
                    runNow.add(call);
                } else {
                    pendingActions.add(PendingAction.unanswered(call.id(), ActionKind.APPROVAL, call.name(), call.arguments()));
                }
            }
            return new ToolTurn(runNow, pendingActions);
        });
    }

    /**
     * Whether every one of these calls runs now as an ordinary tool, whatever was decided before:
     * none is a team call (sub-agent, handoff), a client-side tool or in need of a human's approval.
     */
    static boolean allRunNow(List<ToolCall> calls, AgentDefinition agent, Predicate<String> toolNeedsApproval) {
        AgentSpec spec = agent.spec();
        Predicate<String> needsApproval = needsApproval(spec, toolNeedsApproval);
        return calls.stream().allMatch(call -> !TeamStep.isTeamCall(agent, call)
                && spec.clientTool(call.name()).isEmpty() && !needsApproval.test(call.name()));
    }

    /** The calls of the run's newest assistant message that are still pending. */
    static List<ToolCall> pendingCalls(List<Event> window, UUID runId, Map<String, Integer> pending) {
        for (int i = window.size() - 1; i >= 0; i--) {
            Event event = window.get(i);
            if (EventType.ASSISTANT_MESSAGE.equals(event.type()) && runId.equals(event.runId())) {
                return EventPayloads.toolCalls(event.data()).stream()
                        .filter(call -> pending.containsKey(call.id()))
                        .toList();
            }
        }
        return List.of();
    }

    /**
     * A result for each pending call of the run that will never get one, saying why
     * ({@code cancelled}, {@code interrupted} or the run's error code), so the log stays a valid
     * conversation (ADR 0018).
     */
    static List<NewEvent> unanswered(List<Event> window, UUID runId, Map<String, Integer> pending, String reason) {
        return pendingCalls(window, runId, pending).stream()
                .map(call -> EventPayloads.unanswered(call, reason, runId))
                .toList();
    }

    /** A tool's own mark counts only for the agent's tools: a call to any other name is refused as unknown. */
    private static Predicate<String> needsApproval(AgentSpec spec, Predicate<String> toolNeedsApproval) {
        return name -> spec.approvalRequired().contains(name) || spec.tools().contains(name) && toolNeedsApproval.test(name);
    }

    private static boolean approved(PendingAction action) {
        return action != null && action.approved();
    }

    /**
     * The step that pauses the run: the results of the calls executed now, an approval request
     * per call that needs one, and {@code run.requires_action} listing every pending action. Only
     * the calls of pending actions stay pending, with the attempt counts they had.
     */
    StepCommit pauseCommit(UUID runId, List<ToolOutcome> outcomes, Map<String, Integer> attempts) {
        List<NewEvent> events = new ArrayList<>();
        Map<String, Object> statePatch = new HashMap<>();
        for (ToolOutcome outcome : outcomes) {
            events.add(EventPayloads.toolResult(outcome, runId));
            statePatch.putAll(outcome.statePatch());
        }
        Map<String, Integer> stillPending = new LinkedHashMap<>();
        for (PendingAction action : pendingActions) {
            if (action.kind() == ActionKind.APPROVAL) {
                events.add(EventPayloads.approvalRequested(action));
            }
            stillPending.put(action.callId(), attempts.getOrDefault(action.callId(), 0));
        }
        events.add(EventPayloads.requiresAction(pendingActions));
        return StepCommit.after(RunEvent.PAUSE).events(events).pending(stillPending).statePatch(statePatch)
                .build();
    }
}
