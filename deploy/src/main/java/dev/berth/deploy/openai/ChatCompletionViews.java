package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.error.Problems;
import dev.berth.model.Usage;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.run.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Berth run as OpenAI's {@code chat.completion} object and its {@code chat.completion.chunk}s (ADR 0040).
 * JSON trees, so that the required-but-nullable fields ({@code content}, {@code refusal}, {@code logprobs},
 * a chunk's {@code finish_reason}) are explicit nulls, as the SDKs' strict validation expects. The agent's
 * server-side tool calls are not shown: to the client, the run's answer is one assistant message.
 */
public final class ChatCompletionViews {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatCompletionViews() {
    }

    /** The completion of a settled run, from its events (those of other runs are skipped). */
    public static ObjectNode completion(Run run, List<Event> events) {
        List<String> texts = new ArrayList<>();
        String finishReason = "stop";
        for (Event event : events) {
            if (run.id().equals(event.runId()) && EventType.ASSISTANT_MESSAGE.equals(event.type())) {
                String text = event.data().path("text").asText("");
                if (!text.isEmpty()) {
                    texts.add(text);
                }
                finishReason = finishReason(event.data());
            }
        }
        ObjectNode completion = head(run, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.put("content", String.join("\n\n", texts));
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        completion.set("usage", usage(run.usage()));
        return completion;
    }

    /**
     * Why a settled (or still going) run gives the client no completion, as a problem (OpenAiErrors gives it
     * OpenAI's shape): a budget's refusal 429 (as on the native API, ADR 0032), another failure 502 (the
     * agent, not the request, failed), a cancelled run or one paused for an approval or a client's tool
     * result 409 (a chat completion cannot answer it; {@code /v1/runs/{id}} can), a run still going when
     * the wait is over 504. Empty for a completed run.
     */
    static Optional<Problems.Problem> unanswered(Run run, String requestId) {
        String where = " (run " + run.id() + ", /v1/runs/" + run.id() + ")";
        return switch (run.status()) {
            case COMPLETED -> Optional.empty();
            case FAILED, EXPIRED -> Optional.of(run.error() != null && run.error().budgetExceeded()
                    ? problem(429, Problems.BUDGET_EXCEEDED, run.error().message() + where, requestId)
                    : problem(502, "run-failed", "the agent's run failed: " + (run.error() == null ? run.status()
                            : run.error().code() + ": " + run.error().message()) + where, requestId));
            case CANCELLED -> Optional.of(problem(409, "run-cancelled", "the agent's run was cancelled" + where,
                    requestId));
            case REQUIRES_ACTION -> Optional.of(problem(409, "run-requires-action", "the agent's run waits for an"
                    + " approval or a client's tool result, which a chat completion cannot give" + where, requestId));
            case QUEUED, RUNNING, WAITING -> Optional.of(problem(504, "run-still-going",
                    "the agent's run is still going after the longest wait" + where, requestId));
        };
    }

    private static Problems.Problem problem(int status, String slug, String detail, String requestId) {
        return Problems.problem(status, slug, Problems.title(status), detail, null, requestId);
    }

    /** A chunk of the run's answer: one choice with {@code delta}, and {@code finish_reason} (null until the last). */
    static ObjectNode chunk(Run run, ObjectNode delta, String finishReason, boolean usageField) {
        ObjectNode chunk = head(run, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (usageField) {
            chunk.putNull("usage"); // OpenAI sends null on every chunk but the usage chunk when usage is asked for
        }
        return chunk;
    }

    /** The last chunk when {@code stream_options.include_usage} is set: no choices, the run's usage. */
    static ObjectNode usageChunk(Run run) {
        ObjectNode chunk = head(run, "chat.completion.chunk");
        chunk.putArray("choices");
        chunk.set("usage", usage(run.usage()));
        return chunk;
    }

    static ObjectNode delta() {
        return NODES.objectNode();
    }

    /** OpenAI's finish reasons for the model's: a cut-off answer is {@code length}, a filtered one {@code content_filter}. */
    static String finishReason(JsonNode assistantData) {
        return switch (assistantData.path("finishReason").asText("stop")) {
            case "length" -> "length";
            case "content_filter" -> "content_filter";
            default -> "stop";
        };
    }

    private static ObjectNode head(Run run, String object) {
        ObjectNode node = NODES.objectNode();
        node.put("id", OpenAiIds.chatCompletion(run.id()));
        node.put("object", object);
        node.put("created", run.createdAt() == null ? 0 : run.createdAt().getEpochSecond());
        node.put("model", run.agentName());
        return node;
    }

    private static ObjectNode usage(Usage given) {
        Usage usage = given == null ? Usage.ZERO : given;
        ObjectNode node = NODES.objectNode();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }
}
