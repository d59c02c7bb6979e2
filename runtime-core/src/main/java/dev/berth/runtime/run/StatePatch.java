package dev.berth.runtime.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.internal.DocumentJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a step's patch changes the session's state, the one definition Berth has of it:
 * RFC 7386 JSON Merge Patch. A null value removes its key, at any depth; an object merges into
 * the object at its key (recursively, creating it when the key holds something else); anything
 * else (a string, number, boolean, array) replaces the value. The engine applies it to the state
 * it holds while it owns the run's lease (the run is then the session's only writer of state,
 * ADR 0011) and the store writes the result as the session's whole state (ADR 0020).
 */
public final class StatePatch {
    private StatePatch() {
    }

    /** {@code state} with {@code patch} merged in; neither argument is changed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> apply(Map<String, Object> state, Map<String, Object> patch) {
        if (patch == null || patch.isEmpty()) {
            return state;
        }
        JsonNode merged = merge(DocumentJson.MAPPER.valueToTree(state == null ? Map.of() : state),
                DocumentJson.MAPPER.valueToTree(patch));
        return DocumentJson.MAPPER.convertValue(merged, LinkedHashMap.class);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : DocumentJson.object();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }
}
