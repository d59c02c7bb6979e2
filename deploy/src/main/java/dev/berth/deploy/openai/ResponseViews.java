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
     * @param events   the session's events from the run's input on; those of other runs are skipped
     * @param previous the {@code previous_response_id} of the request, or null (not kept: see ADR 0035)
     */
    public static ObjectNode response(Run run, List<Event> events, String previous) {
        ObjectNode response = NODES.objectNode();
        response.put("id", OpenAiIds.response(run.id()));
        response.put("object", "response");
        response.put("created_at", seconds(run.createdAt()));
        response.put("status", status(run));
        response.set("error", error(run));
        response.putNull("incomplete_details");
        response.putNull("instructions");
        response.put("model", run.agentName());
        response.set("output", output(run, events));
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
        if (run.finishedAt() != null) {
            response.put("completed_at", seconds(run.finishedAt()));
        }
        return response;
    }

    /**
     * OpenAI's statuses. A run paused for a client's answer or an approval is {@code incomplete}: this
     * slice offers no way to answer it over /openai/v1 yet. An expired run failed.
     */
    static String status(Run run) {
        return switch (run.status()) {
            case QUEUED -> "queued";
            case RUNNING, WAITING -> "in_progress";
            case REQUIRES_ACTION -> "incomplete";
            case COMPLETED -> "completed";
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

    /** Message items for the run's answers, function_call items for the tool calls its model made. */
    private static ArrayNode output(Run run, List<Event> events) {
        ArrayNode output = NODES.arrayNode();
        for (Event event : events) {
            if (!run.id().equals(event.runId()) || !EventType.ASSISTANT_MESSAGE.equals(event.type())) {
                continue;
            }
            JsonNode calls = event.data().path("toolCalls");
            for (int i = 0; i < calls.size(); i++) {
                output.add(functionCallItem(run.id(), event.seq(), i, calls.get(i)));
            }
            String text = event.data().path("text").asText("");
            if (!text.isEmpty()) {
                output.add(messageItem(run.id(), event.seq(), text));
            }
        }
        return output;
    }

    /** The {@code function_call} item of the {@code index}th tool call of the answer at {@code seq}. */
    static ObjectNode functionCallItem(UUID run, long seq, int index, JsonNode call) {
        JsonNode arguments = call.path("arguments");
        return NODES.objectNode()
                .put("type", "function_call")
                .put("id", OpenAiIds.functionCall(run, seq, index))
                .put("call_id", call.path("id").asText())
                .put("name", call.path("name").asText())
                .put("arguments", arguments.isTextual() ? arguments.asText() : arguments.toString())
                .put("status", "completed");
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
