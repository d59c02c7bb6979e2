package dev.berth.model;

import java.util.List;

/**
 * The answer of a Responses API call.
 *
 * @param id               the provider's response id (not retrievable later: nothing is stored)
 * @param status           {@code completed} or {@code incomplete}
 * @param incompleteReason e.g. {@code max_output_tokens} or {@code content_filter}, or null
 * @param output           the output items, to be replayed as input of the next call
 * @param usage            tokens used
 * @param call             deployment, attempts, latency
 */
public record ResponseResult(String id, String status, String incompleteReason, List<ResponseItem> output,
        Usage usage, ChatResponse.CallInfo call) {

    public ResponseResult {
        output = output == null ? List.of() : List.copyOf(output);
        usage = usage == null ? Usage.ZERO : usage;
        call = call == null ? ChatResponse.CallInfo.NONE : call;
    }

    /** The concatenated text of the assistant messages, or null when there is none. */
    public String outputText() {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (ResponseItem item : output) {
            if (item instanceof ResponseItem.Message m && "assistant".equals(m.role())) {
                sb.append(m.text());
                any = true;
            }
        }
        return any ? sb.toString() : null;
    }

    /** The function calls requested. */
    public List<ResponseItem.FunctionCall> functionCalls() {
        return output.stream().filter(ResponseItem.FunctionCall.class::isInstance)
                .map(ResponseItem.FunctionCall.class::cast).toList();
    }
}
