package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.Usage;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.run.Run;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A Berth run as an OpenAI Response object. Written as a JSON tree so that the required-but-nullable
 * fields of OpenAI's schema ({@code error}, {@code instructions}, {@code temperature}...) are present
 * as explicit nulls, which the SDKs' strict validation expects (ADR 0035).
 */
public final class ResponseViews {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponseViews() {
    }

    /**
     * The run's latest segment as a response (ADR 0037).
     *
     * @param events   the session's events from the run's input on; those of other runs are skipped
     * @param previous the {@code previous_response_id} of the request, or null (not kept: see ADR 0035)
     */
    public static ObjectNode response(Run run, List<Event> events, String previous) {
        ResponseSegments segments = ResponseSegments.of(run, events);
        return response(run, segments, segments.last(), previous);
    }

    /** One segment of the run as a response: its own id, status and output (ADR 0037). */
    static ObjectNode response(Run run, ResponseSegments segments, ResponseSegments.Segment segment, String previous) {
        ObjectNode response = NODES.objectNode();
        response.put("id", segments.id(segment));
        response.put("object", "response");
        response.put("created_at", seconds(segment.first() ? run.createdAt() : segment.events().getFirst().createdAt()));
        String status = segments.status(segment);
        response.put("status", status);
        response.set("error", segment.last() ? error(run) : NODES.nullNode());
        response.putNull("incomplete_details");
        response.putNull("instructions");
        response.put("model", run.agentName());
        response.set("output", output(run, segments, segment));
        response.put("parallel_tool_calls", true);
        response.putNull("metadata");
        response.put("tool_choice", "auto");
        response.set("tools", NODES.arrayNode());
        response.putNull("temperature");
        response.putNull("top_p");
        ResponseOptions.echo(response, run.options());
        response.set("usage", usage(run.usage() == null ? Usage.ZERO : run.usage()));
        response.putObject("conversation").put("id", OpenAiIds.conversation(run.sessionId()));
        if (previous == null) {
            response.putNull("previous_response_id");
        } else {
            response.put("previous_response_id", previous);
        }
        Instant completed = segments.completedAt(segment);
        if (completed != null && !"in_progress".equals(status) && !"queued".equals(status)) {
            response.put("completed_at", seconds(completed));
        }
        return response;
    }

    /**
     * OpenAI's statuses. A run paused for a client's answer or an approval is {@code completed}, as
     * OpenAI's response that ends in function calls or approval requests is (ADR 0037). An expired run failed.
     */
    static String status(Run run) {
        return switch (run.status()) {
            case QUEUED -> "queued";
            case RUNNING, WAITING -> "in_progress";
            case REQUIRES_ACTION, COMPLETED -> "completed";
            case CANCELLED -> "cancelled";
            case FAILED, EXPIRED -> "failed";
        };
    }

    /**
     * OpenAI's error codes are a closed list: a budget refusal is its {@code rate_limit_exceeded}, any
     * other failure {@code server_error}; Berth's own code leads the message.
     */
    private static JsonNode error(Run run) {
        if (run.error() == null) {
            return NODES.nullNode();
        }
        return NODES.objectNode()
                .put("code", run.error().budgetExceeded() ? "rate_limit_exceeded" : "server_error")
                .put("message", run.error().code() + ": " + run.error().message());
    }

    /**
     * Message items for the segment's answers; its tool calls as {@link PendingActionItems} maps them
     * (function_call for the client's, mcp_approval_request for approvals, mcp_call for Berth's own).
     */
    private static ArrayNode output(Run run, ResponseSegments segments, ResponseSegments.Segment segment) {
        ArrayNode output = NODES.arrayNode();
        PendingActionItems calls = new PendingActionItems(run.id(), segments.all());
        for (Event event : segment.events()) {
            if (!EventType.ASSISTANT_MESSAGE.equals(event.type())) {
                calls.result(event, output);
                continue;
            }
            calls.calls(event, output);
            String text = event.data().path("text").asText("");
            if (!text.isEmpty()) {
                output.add(messageItem(run.id(), event.seq(), text));
            }
        }
        return output;
    }

    /** The {@code message} item of the answer at {@code seq}: one {@code output_text} part. */
    static ObjectNode messageItem(UUID run, long seq, String text) {
        ObjectNode message = NODES.objectNode()
                .put("type", "message")
                .put("id", OpenAiIds.message(run, seq))
                .put("role", "assistant")
                .put("status", "completed");
        message.putArray("content").addObject()
                .put("type", "output_text")
                .put("text", text)
                .<ObjectNode>set("annotations", NODES.arrayNode())
                .set("logprobs", NODES.arrayNode());
        return message;
    }

    private static ObjectNode usage(Usage usage) {
        ObjectNode node = NODES.objectNode();
        node.put("input_tokens", usage.inputTokens());
        // Berth counts cache reads, not cache writes (the SDK's schema requires the field).
        node.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens()).put("cache_write_tokens", 0);
        node.put("output_tokens", usage.outputTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }

    private static long seconds(Instant at) {
        return at == null ? 0 : at.getEpochSecond();
    }
}
