package dev.berth.model;

import java.util.List;
import java.util.Objects;

/**
 * A stateless Responses API call: always sent with {@code store: false} and
 * {@code include: ["reasoning.encrypted_content"]}.
 *
 * @param model           the logical model name
 * @param instructions    system-level instructions, or null
 * @param input           the conversation items, oldest first (previous outputs replayed)
 * @param tools           functions offered; empty for none
 * @param toolChoice      null for the provider default
 * @param parallelToolCalls null for the provider default
 * @param maxOutputTokens null for no limit
 * @param responseFormat  structured output ({@code text.format}), or null
 * @param reasoningEffort {@code low|medium|high} for reasoning models, or null
 */
public record ResponseRequest(String model, String instructions, List<ResponseItem> input,
        List<ToolDefinition> tools, ToolChoice toolChoice, Boolean parallelToolCalls, Integer maxOutputTokens,
        ResponseFormat responseFormat, String reasoningEffort) {

    public ResponseRequest {
        Objects.requireNonNull(model, "model");
        input = List.copyOf(input);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (input.isEmpty()) {
            throw new IllegalArgumentException("a response request needs input");
        }
    }

    public static ResponseRequest of(String model, String instructions, List<ResponseItem> input,
            List<ToolDefinition> tools) {
        return new ResponseRequest(model, instructions, input, tools, null, null, null, null, null);
    }
}
