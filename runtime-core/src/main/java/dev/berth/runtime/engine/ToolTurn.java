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
 * @param approved the calls of {@code runNow} that run because a human approved them: the policy is
 *                 checked again for them before they run ({@link ApprovalBinding})
 * @param refused  results of calls that are not run: approved, but not as they are now
 */
record ToolTurn(List<ToolCall> runNow, List<PendingAction> pendingActions, List<ToolCall> approved,
        List<ToolOutcome> refused) {

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
            List<ToolCall> approved = new ArrayList<>();
            List<ToolOutcome> refused = new ArrayList<>();
            for (ToolCall call : calls) {
                PendingAction decision = byId.get(call.id());
                if (spec.clientTool(call.name()).isPresent()) {
                    pendingActions.add(PendingAction.unanswered(call.id(), ActionKind.CLIENT_TOOL, call.name(), call.arguments()));
                } else if (!needsApproval.test(call.name())) {
                    runNow.add(call);
                } else if (ApprovalBinding.authorises(decision, call)) {
                    runNow.add(call);
                    approved.add(call);
                } else if (ApprovalBinding.decided(decision) && decision.approved()) {
                    refused.add(ApprovalBinding.mismatch(call));
                } else {
                    pendingActions.add(PendingAction.unanswered(call.id(), ActionKind.APPROVAL, call.name(), call.arguments()));
                }
            }
            return new ToolTurn(runNow, pendingActions, approved, refused);
        });
    }

    /** This turn without these calls of {@code runNow}, each refused with the given result instead. */
    ToolTurn refusing(List<ToolCall> calls, java.util.function.Function<ToolCall, ToolOutcome> result) {
        if (calls.isEmpty()) {
            return this;
        }
        List<ToolOutcome> moreRefused = new ArrayList<>(refused);
        calls.forEach(call -> moreRefused.add(result.apply(call)));
        return new ToolTurn(runNow.stream().filter(call -> !calls.contains(call)).toList(), pendingActions,
                approved.stream().filter(call -> !calls.contains(call)).toList(), moreRefused);
    }

    /** The outcomes of the calls that ran, followed by the results of the calls refused. */
    List<ToolOutcome> withRefused(List<ToolOutcome> ran) {
        if (refused.isEmpty()) {
            return ran;
        }
        List<ToolOutcome> all = new ArrayList<>(ran);
        all.addAll(refused);
        return all;
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

    /** A tool's own mark counts only for the agent's tools: a call to any other name is refused as unknown. */
    private static Predicate<String> needsApproval(AgentSpec spec, Predicate<String> toolNeedsApproval) {
        return name -> spec.approvalRequired().contains(name) || spec.tools().contains(name) && toolNeedsApproval.test(name);
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
