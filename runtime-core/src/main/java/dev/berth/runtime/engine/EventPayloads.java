package dev.berth.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatResponse;
import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.tools.ToolOutcome;
import java.util.ArrayList;
import java.util.List;

/** Builds and reads the JSON payloads of the event types the engine writes. */
public final class EventPayloads {
    private EventPayloads() {
    }

    static NewEvent assistantMessage(ChatResponse response, boolean last) {
        ObjectNode data = DocumentJson.object();
        data.put("text", response.content());
        ArrayNode calls = data.putArray("toolCalls");
        for (ToolCall call : response.toolCalls()) {
            calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
        }
        data.put("finishReason", response.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        data.put("final", last);
        ObjectNode usage = data.putObject("usage");
        usage.put("inputTokens", response.usage().inputTokens());
        usage.put("outputTokens", response.usage().outputTokens());
        if (response.usage().estimated()) {
            // counted by the client: the provider reported none for this call (a stream without stream_options)
            usage.put("estimated", true);
        }
        if (response.call().deployment() != null) {
            data.put("deployment", response.call().deployment());
        }
        return new NewEvent(EventType.ASSISTANT_MESSAGE, data);
    }

    static NewEvent toolResult(ToolOutcome outcome, java.util.UUID runId) {
        ObjectNode data = DocumentJson.object()
                .put("callId", outcome.callId())
                .put("idempotencyKey", ToolInvocation.idempotencyKey(runId, outcome.callId()))
                .put("name", outcome.name())
                .put("output", outcome.output())
                .put("error", outcome.error())
                .put("attempt", outcome.attempt())
                .put("retry", outcome.attempt() > 1)
                .put("retries", outcome.retries());
        return new NewEvent(EventType.TOOL_RESULT, data);
    }

    static NewEvent approvalRequested(PendingAction action) {
        return new NewEvent(EventType.APPROVAL_REQUESTED, DocumentJson.object()
                .put("callId", action.callId())
                .put("name", action.toolName())
                .put("arguments", action.arguments()));
    }

    /** The event that tells a streaming client to act: every call the run now waits for. */
    static NewEvent requiresAction(List<PendingAction> pendingActions) {
        ObjectNode data = DocumentJson.object();
        ArrayNode calls = data.putArray("calls");
        for (PendingAction action : pendingActions) {
            calls.addObject()
                    .put("callId", action.callId())
                    .put("kind", action.kind().wire())
                    .put("name", action.toolName())
                    .put("arguments", action.arguments());
        }
        return new NewEvent(EventType.RUN_REQUIRES_ACTION, data);
    }

    static NewEvent runFailed(RunError error) {
        return new NewEvent(EventType.RUN_FAILED, DocumentJson.object().put("code", error.code()).put("message", error.message()));
    }

    static NewEvent runCancelled(String reason) {
        return new NewEvent(EventType.RUN_CANCELLED, DocumentJson.object().put("reason", reason));
    }

    static NewEvent subagentStarted(dev.berth.runtime.run.team.ChildStart child) {
        return new NewEvent(EventType.SUBAGENT_STARTED, DocumentJson.object()
                .put("callId", child.callId())
                .put("agent", child.agentName())
                .put("agentVersion", child.agentVersion())
                .put("childSessionId", child.sessionId().toString())
                .put("childRunId", child.runId().toString()));
    }

    static NewEvent handoff(dev.berth.runtime.domain.AgentDefinition from, dev.berth.runtime.domain.AgentDefinition to,
            String callId) {
        return new NewEvent(EventType.HANDOFF, DocumentJson.object()
                .put("from", from.name()).put("fromVersion", from.version())
                .put("to", to.name()).put("toVersion", to.version())
                .put("callId", callId));
    }

    /** The tool calls of an {@code assistant.message} payload. */
    static List<ToolCall> toolCalls(JsonNode assistantData) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : assistantData.path("toolCalls")) {
            calls.add(new ToolCall(call.path("id").asText(), call.path("name").asText(),
                    call.path("arguments").asText("{}")));
        }
        return calls;
    }

    static String textOrNull(JsonNode data, String field) {
        JsonNode node = data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
