package dev.berth.model;

import java.util.List;

/**
 * Vectors in the order of {@link EmbeddingRequest#inputs()}.
 *
 * @param vectors one per input; arrays are not copied, do not modify them
 * @param usage   input tokens summed over all batches
 * @param call    deployment of the last batch, attempts summed, latency of the whole call
 */
public record EmbeddingResponse(List<float[]> vectors, Usage usage, ChatResponse.CallInfo call) {
    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
        usage = usage == null ? Usage.ZERO : usage;
        call = call == null ? ChatResponse.CallInfo.NONE : call;
    }
}
