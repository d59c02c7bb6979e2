package dev.berth.runtime.run.paused;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.AnswerDecision;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.tools.ToolExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a client's answers do to a paused run, decided here, in runtime-core, from the run's
 * pending actions as read before: the events to append, which calls are settled (no longer
 * pending: client outputs and denials; an approved call stays pending until a worker executes
 * it) and whether the run resumes (every pending action is answered). Pure; the store applies
 * the {@link AnswerDecision} it returns, or refuses it when the run's open calls changed since.
 */
public final class ActionResolution {
    /** The problem type of a decision whose argumentsDigest is not the call's (ADR 0033). */
    public static final String STALE_APPROVAL = "approval-stale";

    private ActionResolution() {
    }

    /**
     * @throws ValidationException a call id the run does not wait for, or an answer that does not fit its kind
     * @throws ConflictException   a call that was answered before, or a decision on other arguments than the call's
     */
    public static AnswerDecision resolve(UUID runId, List<PendingAction> pending, List<ActionAnswer> answers,
            int maxOutputChars) {
        return resolve(runId, pending, answers, maxOutputChars, null);
    }

    /**
     * As {@link #resolve(UUID, List, List, int)}; the approval decisions and client results it
     * appends name who gave them ({@code by}, when known), so the log says who approved what.
     */
    public static AnswerDecision resolve(UUID runId, List<PendingAction> pending, List<ActionAnswer> answers,
            int maxOutputChars, String by) {
        Map<String, PendingAction> byId = new LinkedHashMap<>();
        pending.forEach(action -> byId.put(action.callId(), action));
        List<NewEvent> events = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            ActionAnswer answer = answers.get(i);
            PendingAction action = byId.get(answer.callId());
            String field = "actions[" + i + "]";
            if (action == null) {
                errors.put(field + ".callId", "the run does not wait for a call '" + answer.callId() + "'");
                continue;
            }
            if (action.answered()) {
                throw new ConflictException("action-already-answered",
                        "the call '" + answer.callId() + "' was answered before");
            }
            if (action.kind() == ActionKind.CLIENT_TOOL) {
                if (answer.output() == null || answer.approve() != null) {
                    errors.put(field, "the call '" + answer.callId() + "' is a client-side tool: send its 'output'");
                    continue;
                }
                events.add(clientResult(runId, action, truncate(answer.output(), maxOutputChars), by));
                settled.add(action.callId());
            } else {
                if (answer.approve() == null || answer.output() != null) {
                    errors.put(field, "the call '" + answer.callId() + "' needs a decision: send 'approve' (true or false)");
                    continue;
                }
                if (answer.argumentsDigest() != null && !answer.argumentsDigest().equals(action.argumentsDigest())) {
                    throw new ConflictException(STALE_APPROVAL, "the decision on call '" + answer.callId()
                            + "' was taken on other arguments than the call has; read the run's requiredAction again");
                }
                events.add(decision(action, answer, by));
                if (!answer.approve()) {
                    events.add(denied(runId, action, answer.reason()));
                    settled.add(action.callId());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("the actions do not fit what the run waits for", errors);
        }
        long stillOpen = pending.stream().filter(action -> !action.answered()).count() - answers.size();
        boolean resume = stillOpen == 0;
        if (resume) {
            events.add(new NewEvent(EventType.RUN_RESUMED, DocumentJson.object()));
        }
        Set<String> open = pending.stream().filter(action -> !action.answered()).map(PendingAction::callId)
                .collect(Collectors.toUnmodifiableSet());
        return new AnswerDecision(events, answers, settled, resume, open);
    }

    /** What the model reads for a denied call. */
    static String denialText(String toolName, String reason) {
        String text = "A human reviewer denied the call to '" + toolName + "'; it was not executed.";
        return reason == null || reason.isBlank() ? text : text + " Reason: " + reason;
    }

    private static NewEvent clientResult(UUID runId, PendingAction action, String output, String by) {
        ObjectNode data = answeredBy(result(runId, action, output, false).put("source", "client"), by);
        return new NewEvent(EventType.TOOL_RESULT, data);
    }

    private static NewEvent denied(UUID runId, PendingAction action, String reason) {
        ObjectNode data = result(runId, action, denialText(action.toolName(), reason), true).put("denied", true);
        return new NewEvent(EventType.TOOL_RESULT, data);
    }

    private static ObjectNode result(UUID runId, PendingAction action, String output, boolean error) {
        return DocumentJson.object()
                .put("callId", action.callId())
                .put("idempotencyKey", ToolInvocation.idempotencyKey(runId, action.callId()))
                .put("name", action.toolName())
                .put("output", output)
                .put("error", error)
                .put("attempt", action.kind() == ActionKind.CLIENT_TOOL ? 1 : 0)
                .put("retry", false)
                .put("retries", 0);
    }

    private static ObjectNode answeredBy(ObjectNode data, String by) {
        return by == null ? data : data.put("by", by);
    }

    private static NewEvent decision(PendingAction action, ActionAnswer answer, String by) {
        ObjectNode data = answeredBy(DocumentJson.object(), by)
                .put("callId", action.callId())
                .put("name", action.toolName())
                .put("argumentsDigest", action.argumentsDigest())
                .put("approved", answer.approve())
                .put("reason", answer.reason());
        return new NewEvent(EventType.APPROVAL_DECISION, data);
    }

    private static String truncate(String output, int max) {
        return output.length() <= max ? output : output.substring(0, max) + ToolExecutor.TRUNCATION_MARKER;
    }
}
