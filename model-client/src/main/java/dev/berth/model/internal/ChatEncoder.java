package dev.berth.model.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ResponseFormat;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolChoice;
import dev.berth.model.ToolDefinition;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.Flavour;

/** Turns a {@link ChatRequest} into the chat-completions JSON body for one deployment. */
public final class ChatEncoder {
    private ChatEncoder() {
    }

    public static ObjectNode encode(ChatRequest request, Deployment deployment, boolean stream) {
        ObjectNode body = ModelJson.object();
        if (deployment.flavour() != Flavour.AZURE_CLASSIC) {
            // classic routes carry the deployment in the path
            body.put("model", deployment.wireModel(request.model()));
        }
        ArrayNode messages = body.putArray("messages");
        request.messages().forEach(m -> messages.add(message(m)));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
            if (request.parallelToolCalls() != null) {
                // the API rejects parallel_tool_calls when no tools are offered
                body.put("parallel_tool_calls", request.parallelToolCalls());
            }
        }
        if (request.toolChoice() != null) {
            toolChoice(body, request.toolChoice());
        }
        if (request.maxCompletionTokens() != null) {
            body.put("max_completion_tokens", request.maxCompletionTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.responseFormat() != null) {
            body.set("response_format", responseFormat(request.responseFormat()));
        }
        if (stream) {
            body.put("stream", true);
            if (deployment.streamUsage().asks(deployment)) {
                // without it no usage arrives on a stream (the client then counts it: UsageEstimator)
                body.putObject("stream_options").put("include_usage", true);
            }
        }
        return body;
    }

    static ObjectNode message(ChatMessage message) {
        ObjectNode m = ModelJson.object();
        switch (message) {
            case ChatMessage.System s -> m.put("role", "system").put("content", s.content());
            case ChatMessage.User u -> m.put("role", "user").put("content", u.content());
            case ChatMessage.Assistant a -> {
                m.put("role", "assistant");
                if (a.content() == null) {
                    m.putNull("content");
                } else {
                    m.put("content", a.content());
                }
                if (!a.toolCalls().isEmpty()) {
                    ArrayNode calls = m.putArray("tool_calls");
                    a.toolCalls().forEach(c -> calls.add(toolCall(c)));
                }
            }
            case ChatMessage.Tool t -> m.put("role", "tool").put("tool_call_id", t.toolCallId())
                    .put("content", t.content());
        }
        return m;
    }

    static ObjectNode toolCall(ToolCall call) {
        ObjectNode c = ModelJson.object().put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        return c;
    }

    static ObjectNode tool(ToolDefinition def) {
        ObjectNode t = ModelJson.object().put("type", "function");
        ObjectNode f = t.putObject("function").put("name", def.name());
        if (def.description() != null) {
            f.put("description", def.description());
        }
        f.set("parameters", def.parameters());
        if (def.strict()) {
            f.put("strict", true);
        }
        return t;
    }

    private static void toolChoice(ObjectNode body, ToolChoice choice) {
        switch (choice) {
            case ToolChoice.Mode mode -> body.put("tool_choice", mode.value());
            case ToolChoice.Function fn -> body.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", fn.name());
        }
    }

    static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode rf = ModelJson.object().put("type", "json_schema");
        rf.putObject("json_schema").put("name", format.name()).put("strict", format.strict())
                .set("schema", format.schema());
        return rf;
    }
}
