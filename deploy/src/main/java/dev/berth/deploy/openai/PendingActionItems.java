package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.PendingAction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The tool calls of a run as OpenAI output items (ADR 0037). An OpenAI client executes every
 * {@code function_call} it receives and answers it with a {@code function_call_output}, so only the
 * calls Berth waits for the client to execute (its client-side tools) are {@code function_call}s.
 * A call that waits for a human's decision is an {@code mcp_approval_request}, answered with an
 * {@code mcp_approval_response}; a call Berth executed itself is an {@code mcp_call} with its output.
 * Berth's server-side tools are presented as the tools of one MCP server, {@value #SERVER_LABEL}.
 */
final class PendingActionItems {
    /** The {@code server_label} of Berth's own (server-side) tools. */
    static final String SERVER_LABEL = "berth";

    private final UUID runId;
    private final Set<String> clientCalls = new HashSet<>();
    /** Approval calls by call id: the arguments the approval was asked on (what its digest is of). */
    private final Map<String, String> approvals = new HashMap<>();
    private final Map<String, JsonNode> results = new HashMap<>();

    /** @param runEvents the run's events in all its segments */
    PendingActionItems(UUID runId, List<Event> runEvents) {
        this.runId = runId;
        for (Event event : runEvents) {
            JsonNode data = event.data();
            switch (event.type()) {
                case EventType.RUN_REQUIRES_ACTION -> data.path("calls").forEach(call -> {
                    if (ActionKind.CLIENT_TOOL.wire().equals(call.path("kind").asText())) {
                        clientCalls.add(call.path("callId").asText());
                    }
                });
                case EventType.APPROVAL_REQUESTED -> approvals.put(data.path("callId").asText(), data.path("arguments").asText());
                case EventType.TOOL_RESULT -> results.put(data.path("callId").asText(), data);
                default -> {
                }
            }
        }
    }

    /** The items for the tool calls of one {@code assistant.message} event, in the model's order. */
    void calls(Event message, ArrayNode output) {
        JsonNode calls = message.data().path("toolCalls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String callId = call.path("id").asText();
            String name = call.path("name").asText();
            JsonNode arguments = call.path("arguments");
            String args = arguments.isTextual() ? arguments.asText() : arguments.toString();
            if (clientCalls.contains(callId)) {
                output.addObject()
                        .put("type", "function_call")
                        .put("id", OpenAiIds.functionCall(runId, message.seq(), i))
                        .put("call_id", callId)
                        .put("name", name)
                        .put("arguments", args)
                        .put("status", "completed");
            } else if (approvals.containsKey(callId)) {
                String asked = approvals.get(callId);
                output.addObject()
                        .put("type", "mcp_approval_request")
                        .put("id", approvalRequestId(callId, name, asked))
                        .put("server_label", SERVER_LABEL)
                        .put("name", name)
                        .put("arguments", asked);
            } else {
                mcpCall(output, OpenAiIds.mcpCall(runId, message.seq(), i), name, args, results.get(callId), null);
            }
        }
    }

    /**
     * The item for an event other than the model's messages: the execution of an approved call, which
     * comes after the approval (in the segment the decision began), as OpenAI's {@code mcp_call} that
     * names its approval request. A denied call was not executed: nothing.
     */
    void result(Event event, ArrayNode output) {
        JsonNode data = event.data();
        String callId = data.path("callId").asText();
        if (!EventType.TOOL_RESULT.equals(event.type()) || !approvals.containsKey(callId) || data.path("denied").asBoolean()) {
            return;
        }
        String name = data.path("name").asText();
        String asked = approvals.get(callId);
        mcpCall(output, OpenAiIds.mcpCall(runId, event.seq(), 0), name, asked, data, approvalRequestId(callId, name, asked));
    }

    private static void mcpCall(ArrayNode output, String id, String name, String arguments, JsonNode result,
            String approvalRequestId) {
        ObjectNode item = output.addObject()
                .put("type", "mcp_call")
                .put("id", id)
                .put("server_label", SERVER_LABEL)
                .put("name", name)
                .put("arguments", arguments);
        if (result == null) {
            item.putNull("output").put("status", "in_progress");
        } else {
            item.put("output", result.path("output").asText())
                    .put("status", result.path("error").asBoolean() ? "failed" : "completed");
        }
        item.putNull("error");
        if (approvalRequestId == null) {
            item.putNull("approval_request_id");
        } else {
            item.put("approval_request_id", approvalRequestId);
        }
    }

    /** Bound to the arguments the approval was asked on, by the digest ADR 0033's approvals name. */
    private static String approvalRequestId(String callId, String name, String arguments) {
        return OpenAiIds.approvalRequest(callId,
                PendingAction.unanswered(callId, ActionKind.APPROVAL, name, arguments).argumentsDigest());
    }
}
