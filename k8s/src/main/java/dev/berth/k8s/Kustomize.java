package dev.berth.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the subset of kustomize
 * that Berth's manifests use: {@code resources} (files and directories), {@code components},
 * {@code namespace}, {@code labels} (metadata labels only), {@code patches} (strategic merge
 * patch files, target taken from the patch), {@code replicas} and {@code images}. Anything else
 * in a kustomization is refused, so that the renderer never silently differs from kustomize.
 * Transformers run in kustomize's order: patches, namespace, labels, replicas, images.
 *
 * <p>Exists because the build machines have no kustomize; where {@code kubectl} is installed,
 * {@code KubectlParityTest} checks that both render the same objects.
 */
public final class Kustomize {
    static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .build();

    private static final Set<String> FIELDS = Set.of(
            "apiVersion", "kind", "namespace", "labels", "resources", "components", "patches", "replicas", "images");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
            "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code directory}. */
    public static List<RenderedObject> render(Path directory) {
        List<RenderedObject> objects = new ArrayList<>();
        build(directory.toAbsolutePath().normalize(), "Kustomization", objects);
        return objects;
    }

    /** The objects as one multi-document YAML stream, like {@code kustomize build} prints. */
    public static String toYaml(List<RenderedObject> objects) {
        StringBuilder out = new StringBuilder();
        for (RenderedObject object : objects) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(YAML.writeValueAsString(object.object()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    /** Prints the rendering of the directory given as the only argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Kustomize <directory with a kustomization.yaml>");
            System.exit(2);
        }
        System.out.print(toYaml(render(Path.of(args[0]))));
    }

    private static void build(Path directory, String expectedKind, List<RenderedObject> objects) {
        ObjectNode kustomization = readKustomization(directory, expectedKind);
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                List<RenderedObject> built = new ArrayList<>();
                build(path, "Kustomization", built);
                built.forEach(object -> add(objects, object));
            } else {
                readObjects(path).forEach(object -> add(objects, object));
            }
        }
        for (JsonNode component : kustomization.path("components")) {
            build(directory.resolve(component.asText()).normalize(), "Component", objects);
        }
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(directory, patch, objects);
        }
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            objects.stream()
                    .filter(object -> !CLUSTER_SCOPED.contains(object.kind()))
                    .forEach(object -> metadata(object.object()).put("namespace", namespace));
        }
        for (JsonNode label : kustomization.path("labels")) {
            applyLabels(label, objects);
        }
        for (JsonNode replica : kustomization.path("replicas")) {
            applyReplicas(replica, objects);
        }
        for (JsonNode image : kustomization.path("images")) {
            Images.apply(image, objects);
        }
    }

    private static ObjectNode readKustomization(Path directory, String expectedKind) {
        Path file = directory.resolve("kustomization.yaml");
        JsonNode node;
        try {
            node = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!(node instanceof ObjectNode kustomization)) {
            throw new IllegalArgumentException(file + " is not a kustomization");
        }
        String kind = kustomization.path("kind").asText("Kustomization");
        if (!kind.equals(expectedKind)) {
            throw new IllegalArgumentException(file + " is a " + kind + ", expected a " + expectedKind);
        }
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": field '" + field + "' is not supported by this renderer");
            }
        });
        return kustomization;
    }

    static List<RenderedObject> readObjects(Path file) {
        List<RenderedObject> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (!(document instanceof ObjectNode object) || !object.hasNonNull("apiVersion")
                        || !object.hasNonNull("kind") || !object.path("metadata").hasNonNull("name")) {
                    throw new IllegalArgumentException(file + ": every document needs apiVersion, kind and metadata.name");
                }
                objects.add(new RenderedObject(object, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return objects;
    }

    private static void add(List<RenderedObject> objects, RenderedObject object) {
        if (objects.stream().anyMatch(existing -> existing.id().equals(object.id()))) {
            throw new IllegalArgumentException("duplicate object " + object.id() + " from " + object.source());
        }
        objects.add(object);
    }

    private static void applyPatch(Path directory, JsonNode entry, List<RenderedObject> objects) {
        expectOnly(entry, Set.of("path"), "patches");
        Path file = directory.resolve(entry.path("path").asText()).normalize();
        List<RenderedObject> patches = readObjects(file);
        if (patches.size() != 1) {
            throw new IllegalArgumentException(file + ": a patch file holds exactly one document");
        }
        RenderedObject patch = patches.get(0);
        List<RenderedObject> targets = objects.stream()
                .filter(object -> object.apiVersion().equals(patch.apiVersion())
                        && object.kind().equals(patch.kind())
                        && object.name().equals(patch.name())
                        && (patch.namespace().isEmpty() || object.namespace().equals(patch.namespace())))
                .toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException(file + ": patch matches " + targets.size() + " objects, expected 1");
        }
        StrategicMerge.apply(targets.get(0).object(), patch.object());
    }

    private static void applyLabels(JsonNode entry, List<RenderedObject> objects) {
        expectOnly(entry, Set.of("pairs", "includeSelectors", "includeTemplates"), "labels");
        if (entry.path("includeSelectors").asBoolean(false) || entry.path("includeTemplates").asBoolean(false)) {
            throw new IllegalArgumentException("labels: only metadata labels are supported (includeSelectors/Templates false)");
        }
        for (RenderedObject object : objects) {
            ObjectNode labels = metadata(object.object()).withObjectProperty("labels");
            entry.path("pairs").properties().forEach(pair -> labels.put(pair.getKey(), pair.getValue().asText()));
        }
    }

    private static void applyReplicas(JsonNode entry, List<RenderedObject> objects) {
        expectOnly(entry, Set.of("name", "count"), "replicas");
        List<RenderedObject> targets = objects.stream()
                .filter(object -> SCALABLE.contains(object.kind()) && object.name().equals(entry.path("name").asText()))
                .toList();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("replicas: no workload named " + entry.path("name").asText());
        }
        targets.forEach(object -> object.object().withObjectProperty("spec").put("replicas", entry.path("count").asInt()));
    }

    static void expectOnly(JsonNode entry, Set<String> fields, String where) {
        entry.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                throw new IllegalArgumentException(where + ": field '" + field + "' is not supported by this renderer");
            }
        });
    }

    static boolean isWorkload(RenderedObject object) {
        return WORKLOADS.contains(object.kind());
    }

    static ObjectNode metadata(ObjectNode object) {
        return object.withObjectProperty("metadata");
    }
}
