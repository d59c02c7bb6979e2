package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ModelException;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.Flavour;
import java.util.List;

/** Request and response JSON of the embeddings API. */
public final class EmbeddingsCodec {
    private EmbeddingsCodec() {
    }

    public static ObjectNode encode(String model, List<String> batch, Integer dimensions, Deployment d) {
        ObjectNode body = ModelJson.object();
        if (d.flavour() != Flavour.AZURE_CLASSIC) {
            body.put("model", d.wireModel(model));
        }
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        body.put("encoding_format", "float");
        return body;
    }

    /**
     * The vectors of one batch in input order (the API may answer out of order; {@code index} says where).
     * With {@code dimensions} asked, a vector of another length is refused: a model that ignores
     * {@code dimensions} (text-embedding-ada-002 does) would otherwise put vectors of the wrong size into
     * the memory store, where they could never be compared with the others.
     */
    public static float[][] vectors(JsonNode response, int expected, Integer dimensions, String deployment) {
        float[][] out = new float[expected][];
        for (JsonNode item : response.path("data")) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= expected) {
                throw new ModelException.Unavailable("embedding index out of range: " + index, 200, null);
            }
            JsonNode values = item.path("embedding");
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) values.get(i).asDouble();
            }
            if (dimensions != null && v.length != dimensions) {
                throw new ModelException.BadRequest("deployment " + deployment + " answered an embedding of "
                        + v.length + " dimensions, " + dimensions + " were asked for (does its model support"
                        + " 'dimensions'?)", 200);
            }
            out[index] = v;
        }
        for (int i = 0; i < expected; i++) {
            if (out[i] == null) {
                throw new ModelException.Unavailable("embedding " + i + " missing from the answer", 200, null);
            }
        }
        return out;
    }
}
