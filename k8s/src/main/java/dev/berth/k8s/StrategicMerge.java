package dev.berth.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of Kubernetes strategic merge patch that Berth's patches use: maps merge
 * recursively, {@code null} deletes a field, lists of the built-in workload and Service kinds
 * with a merge key (containers, env, ports, volumes, volume mounts, topology spread
 * constraints, image pull secrets) merge by that key, every other list is replaced. Patch
 * directives ({@code $patch}, {@code $setElementOrder}, ...) are refused rather than ignored.
 */
final class StrategicMerge {
    private static final Set<String> BUILT_IN_KINDS = Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "Service");

    /** Merge keys by the name of the list field; {@code ports} depends on where it is. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name",
            "topologySpreadConstraints", "topologyKey");

    private StrategicMerge() {
    }

    /** Applies {@code patch} to {@code target} in place. */
    static void apply(ObjectNode target, ObjectNode patch) {
        boolean builtIn = BUILT_IN_KINDS.contains(target.path("kind").asText());
        mergeObject(target, patch, "", builtIn ? target.path("kind").asText() : null);
    }

    private static void mergeObject(ObjectNode target, ObjectNode patch, String path, String builtInKind) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String childPath = path + "/" + key;
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("unsupported strategic merge directive " + key + " at " + path);
            }
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergeObject((ObjectNode) existing, (ObjectNode) value, childPath, builtInKind);
            } else if (value.isArray() && existing != null && existing.isArray()
                    && mergeKey(key, path, builtInKind) != null) {
                target.set(key, mergeList((ArrayNode) existing, (ArrayNode) value,
                        mergeKey(key, path, builtInKind), childPath + "[]", builtInKind));
            } else {
                target.set(key, withoutNulls(value));
            }
        }
    }

    /**
     * Items of the patch come first, in the patch's order, each merged into the item of the
     * target with the same key; the target's other items follow in their order (what kustomize does).
     */
    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, String mergeKey, String path,
            String builtInKind) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        List<JsonNode> remaining = new ArrayList<>();
        target.forEach(remaining::add);
        for (JsonNode item : patch) {
            if (!item.isObject() || !item.hasNonNull(mergeKey)) {
                throw new IllegalArgumentException("list item at " + path + " has no merge key " + mergeKey);
            }
            JsonNode original = remaining.stream()
                    .filter(candidate -> candidate.path(mergeKey).equals(item.get(mergeKey)))
                    .findFirst()
                    .orElse(null);
            if (original == null) {
                result.add(withoutNulls(item));
            } else {
                remaining.remove(original);
                ObjectNode merged = (ObjectNode) original.deepCopy();
                mergeObject(merged, (ObjectNode) item, path, builtInKind);
                result.add(merged);
            }
        }
        remaining.forEach(result::add);
        return result;
    }

    private static String mergeKey(String field, String parentPath, String builtInKind) {
        if (builtInKind == null) {
            return null;
        }
        if (field.equals("ports")) {
            if (parentPath.endsWith("containers[]") || parentPath.endsWith("initContainers[]")) {
                return "containerPort";
            }
            return builtInKind.equals("Service") && parentPath.equals("/spec") ? "port" : null;
        }
        return MERGE_KEYS.get(field);
    }

    private static JsonNode withoutNulls(JsonNode value) {
        JsonNode copy = value.deepCopy();
        stripNulls(copy);
        return copy;
    }

    private static void stripNulls(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).properties().removeIf(entry -> entry.getValue().isNull());
            node.forEach(StrategicMerge::stripNulls);
        } else if (node.isArray()) {
            node.forEach(StrategicMerge::stripNulls);
        }
    }
}
