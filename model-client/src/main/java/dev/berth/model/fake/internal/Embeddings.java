package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.internal.ModelJson;
import java.util.ArrayList;
import java.util.List;

/** Deterministic bag-of-words unit vectors for the fake's embeddings endpoint: texts sharing words are similar. */
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
        ObjectNode r = ModelJson.object().put("object", "list");
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

    /**
     * A bag-of-words vector: each word (lower-cased, crude plural folding) adds weight to a
     * dimension chosen by its hash, with a hashed sign, and the result is normalised. Texts that
     * share words are similar (cosine above zero); texts with no word in common are near orthogonal;
     * equal texts give equal vectors. This makes retrieval testable without a real model.
     */
    static float[] vector(String text, int dims) {
        float[] v = new float[dims];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            String stem = word.length() > 3 && word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
            int hash = mix(stem.hashCode());
            v[Math.floorMod(hash, dims)] += (hash & 0x40000000) == 0 ? 1f : -1f;
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm == 0) {
            // No words: a fixed unit vector, so that the answer is still a valid embedding.
            v[0] = 1f;
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** Spreads String.hashCode's bits (murmur3 finaliser), so similar words land on different dimensions. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
