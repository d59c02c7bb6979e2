package dev.berth.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reading pod templates and durations out of rendered objects. */
final class PodSpecs {
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet");

    private PodSpecs() {
    }

    static List<RenderedObject> workloads(List<RenderedObject> objects) {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.kind())).toList();
    }

    static JsonNode podSpec(RenderedObject workload) {
        return workload.object().at("/spec/template/spec");
    }

    static JsonNode podLabels(RenderedObject workload) {
        return workload.object().at("/spec/template/metadata/labels");
    }

    static List<JsonNode> containers(RenderedObject workload) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(containers::add);
        podSpec(workload).path("containers").forEach(containers::add);
        return containers;
    }

    /** Whether every label of {@code selector} is on {@code labels} with the same value. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (var entry : selector.properties()) {
            if (!labels.path(entry.getKey()).asText("\u0000").equals(entry.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The workloads whose pods carry every label of {@code selector}. */
    static List<RenderedObject> selectedBy(List<RenderedObject> objects, JsonNode selector) {
        return workloads(objects).stream().filter(w -> selects(selector, podLabels(w))).toList();
    }

    static Set<String> portNames(JsonNode container) {
        Set<String> names = new HashSet<>();
        container.path("ports").forEach(port -> names.add(port.path("name").asText()));
        return names;
    }

    /** Berth's duration syntax as used in the ConfigMap: {@code 10s}, {@code 2m}, {@code 500ms}. */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    /** A CPU or memory quantity in base units (cores, bytes). */
    static double quantity(String text) {
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"m", "0.001"},
            {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] suffix : suffixes) {
            if (text.endsWith(suffix[0])) {
                return Double.parseDouble(text.substring(0, text.length() - suffix[0].length()))
                        * Double.parseDouble(suffix[1]);
            }
        }
        return Double.parseDouble(text);
    }
}
