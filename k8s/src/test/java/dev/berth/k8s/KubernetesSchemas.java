package dev.berth.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates built-in objects against the Kubernetes API schema as captured by the fabric8
 * model classes: the apiVersion/kind must be one Kubernetes serves (e.g. {@code policy/v1},
 * not a removed beta), every field must exist in the type at its place (fabric8 keeps unknown
 * fields in {@code additionalProperties}: any there is a typo or a misplaced field), and types
 * must match without coercion (a number where a string is expected fails).
 */
final class KubernetesSchemas {
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class));

    private static final JsonMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private KubernetesSchemas() {
    }

    static boolean isBuiltIn(RenderedObject object) {
        return TYPES.containsKey(object.apiVersion() + "/" + object.kind());
    }

    /** The violations of {@code object}; empty when it is valid. */
    static List<String> violations(RenderedObject object) {
        Class<?> type = TYPES.get(object.apiVersion() + "/" + object.kind());
        if (type == null) {
            return List.of("no Kubernetes schema for " + object.apiVersion() + " " + object.kind());
        }
        Object model;
        try {
            model = STRICT.treeToValue(object.object(), type);
        } catch (Exception e) {
            return List.of("does not match " + type.getSimpleName() + ": " + e.getMessage());
        }
        List<String> violations = new ArrayList<>();
        unknownFields(model, "", violations);
        lost(object.object(), STRICT.valueToTree(model), "", violations);
        return violations;
    }

    /**
     * Reports every field of {@code input} that the typed model dropped or changed (fields the
     * model adds by default, such as an embedded template's kind, are fine).
     */
    private static void lost(JsonNode input, JsonNode output, String path, List<String> violations) {
        if (input.isObject()) {
            input.properties().forEach(field -> {
                JsonNode read = output.get(field.getKey());
                if (read == null) {
                    violations.add("field lost when read: " + path + "/" + field.getKey());
                } else {
                    lost(field.getValue(), read, path + "/" + field.getKey(), violations);
                }
            });
        } else if (input.isArray()) {
            if (!output.isArray() || output.size() != input.size()) {
                violations.add("list changed when read: " + path);
                return;
            }
            for (int i = 0; i < input.size(); i++) {
                lost(input.get(i), output.get(i), path + "/" + i, violations);
            }
        } else if (input.isNumber() && output.isNumber()
                ? input.decimalValue().compareTo(output.decimalValue()) != 0
                : !input.equals(output)) {
            violations.add("value changed when read: " + path + " " + input + " -> " + output);
        }
    }

    /** Walks the model tree and reports every non-empty {@code additionalProperties}. */
    private static void unknownFields(Object node, String path, List<String> violations) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", violations);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, violations));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    violations.add("unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
                }
            } else {
                unknownFields(value, path + "." + property(getter.getName()), violations);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String property(String getterName) {
        String name = getterName.substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
