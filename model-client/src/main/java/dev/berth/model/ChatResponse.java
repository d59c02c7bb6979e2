package dev.berth.model;

import java.time.Duration;
import java.util.List;

/**
 * The answer of one chat-completions call (the first choice).
 *
 * @param id           the provider's completion id
 * @param content      the text answer, or null when the model only called tools
 * @param toolCalls    the requested tool calls, possibly empty
 * @param finishReason why the model stopped
 * @param usage        tokens used
 * @param call         how the call went: deployment used, attempts, latency
 */
public record ChatResponse(String id, String content, List<ToolCall> toolCalls, FinishReason finishReason,
        Usage usage, CallInfo call) {

    public ChatResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.ZERO : usage;
        call = call == null ? CallInfo.NONE : call;
    }

    /** Where and how a call was served, for metrics and billing. */
    public record CallInfo(String deployment, int attempts, Duration latency) {
        public static final CallInfo NONE = new CallInfo(null, 0, Duration.ZERO);
    }
}
