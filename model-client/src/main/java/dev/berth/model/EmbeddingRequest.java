package dev.berth.model;

import java.util.List;
import java.util.Objects;

/**
 * Texts to embed. Any number of inputs: the client sends batches of at most
 * {@link #MAX_BATCH} and returns the vectors in input order.
 *
 * @param model      the logical model name
 * @param inputs     non-empty texts
 * @param dimensions null for the model's native size
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
    /** The API's limit of inputs per request. */
    public static final int MAX_BATCH = 2048;

    public EmbeddingRequest {
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input");
        }
        if (dimensions != null && dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1");
        }
    }

    public static EmbeddingRequest of(String model, List<String> inputs) {
        return new EmbeddingRequest(model, inputs, null);
    }
}
