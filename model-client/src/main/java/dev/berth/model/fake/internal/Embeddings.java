package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic unit vectors for the fake's embeddings endpoint: equal texts, equal vectors. */
public final class Embeddings {
    public static final int DEFAULT_DIMENSIONS = 64;
    public static final int MAX_INPUTS = 2048;

    private Embeddings() {
    }

    /** The inputs as texts; a single string is one input. */
    public static List<String> inputs(JsonNode request) {
        JsonNode input = request.path("input");
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.asText());
        } else {
            input.forEach(i -> out.add(i.isTextual() ? i.asText() : i.toString()));
        }
        return out;
    }

    public static ObjectNode response(JsonNode request, String model, List<String> inputs) {
        int dims = request.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        ObjectNode r = Json.object().put("object", "list");
        ArrayNode data = r.putArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            for (float f : vector(inputs.get(i), dims)) {
                vector.add(f);
            }
            tokens += Math.max(1, ChatCompletions.tokens(inputs.get(i)));
        }
        r.put("model", model);
        r.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return r;
    }

    static float[] vector(String text, int dims) {
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
