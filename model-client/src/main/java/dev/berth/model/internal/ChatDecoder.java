package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatResponse;
import dev.berth.model.FinishReason;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.model.Usage;
import java.util.ArrayList;
import java.util.List;

/** Reads a chat-completions response body (the first choice). */
public final class ChatDecoder {
    private ChatDecoder() {
    }

    /**
     * @throws ModelException.Unavailable when the body is not a chat completion (a broken proxy or
     *                                    server), which is worth retrying elsewhere
     */
    public static ChatResponse decode(JsonNode body, ChatResponse.CallInfo call) {
        JsonNode choices = body.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw new ModelException.Unavailable("the model answered without choices", 200, null);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.path("message");
        String content = ModelJson.str(message, "content");
        if (content == null) {
            // a refusal is the model's answer in words; surface it as the content
            content = ModelJson.str(message, "refusal");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode tc : message.path("tool_calls")) {
            JsonNode fn = tc.path("function");
            calls.add(new ToolCall(ModelJson.str(tc, "id"), ModelJson.str(fn, "name"), ModelJson.str(fn, "arguments")));
        }
        return new ChatResponse(ModelJson.str(body, "id"), content, calls,
                FinishReason.fromWire(ModelJson.str(choice, "finish_reason")), chatUsage(body.get("usage")), call);
    }

    /** Usage in the chat-completions shape; {@link Usage#ZERO} when absent. */
    public static Usage chatUsage(JsonNode usage) {
        if (usage == null || usage.isNull()) {
            return Usage.ZERO;
        }
        return new Usage(ModelJson.num(usage, "prompt_tokens"), ModelJson.num(usage, "completion_tokens"),
                ModelJson.num(usage.get("prompt_tokens_details"), "cached_tokens"),
                ModelJson.num(usage.get("completion_tokens_details"), "reasoning_tokens"));
    }
}
