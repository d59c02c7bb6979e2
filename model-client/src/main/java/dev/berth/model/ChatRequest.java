package dev.berth.model;

import java.util.List;
import java.util.Objects;

/**
 * A stateless chat-completions call. Everything the model needs is in here.
 *
 * @param model               the logical model name, mapped to deployments by the client
 * @param messages            the whole conversation, oldest first
 * @param tools               functions offered to the model; empty for none
 * @param toolChoice          null for the provider default
 * @param parallelToolCalls   null for the provider default (true)
 * @param maxCompletionTokens null for no limit
 * @param temperature         null for the provider default
 * @param responseFormat      null for plain text
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        Integer maxCompletionTokens,
        Double temperature,
        ResponseFormat responseFormat) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }

    public static ChatRequest of(String model, List<ChatMessage> messages, List<ToolDefinition> tools) {
        return new ChatRequest(model, messages, tools, null, null, null, null, null);
    }
}
