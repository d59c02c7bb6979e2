package dev.berth.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The manifests of this module, rendered once per test run. */
final class Manifests {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/production", "overlays/production-hpa",
            "overlays/azure-flexible-server");
    /** Every directory an operator may apply with {@code kubectl apply -k}. */
    static final List<String> RENDERABLE = List.of(
            "namespace", "overlays/dev", "overlays/production", "overlays/production-hpa", "overlays/azure-flexible-server",
            "observability");
    /** Applied on its own, before an overlay: only the dev overlay includes it (ADR 0043). */
    static final String NAMESPACE = "namespace";

    private static final Map<String, List<RenderedObject>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** A fresh rendering is cached; callers must not modify the objects. */
    static List<RenderedObject> render(String directory) {
        return RENDERED.computeIfAbsent(directory, dir -> Kustomize.render(ROOT.resolve(dir)));
    }

    static Stream<String> overlays() {
        return OVERLAYS.stream();
    }

    static Stream<String> renderable() {
        return RENDERABLE.stream();
    }

    static List<RenderedObject> ofKind(List<RenderedObject> objects, String kind) {
        return objects.stream().filter(object -> object.kind().equals(kind)).toList();
    }

    static Optional<RenderedObject> find(List<RenderedObject> objects, String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
    }

    static RenderedObject get(List<RenderedObject> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** The Berth container of the Berth Deployment. */
    static JsonNode berthContainer(List<RenderedObject> objects) {
        for (JsonNode container : get(objects, "Deployment", "berth").object().at("/spec/template/spec/containers")) {
            if (container.path("name").asText().equals("berth")) {
                return container;
            }
        }
        throw new AssertionError("no container berth");
    }

    /** A value of the rendered ConfigMap berth-config. */
    static String config(List<RenderedObject> objects, String key) {
        JsonNode value = get(objects, "ConfigMap", "berth-config").object().path("data").path(key);
        if (value.isMissingNode()) {
            throw new AssertionError("berth-config has no " + key);
        }
        return value.asText();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
