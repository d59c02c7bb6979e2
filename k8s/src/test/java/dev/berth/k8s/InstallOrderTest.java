package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifest files are numbered in install order across the whole tree: what an object needs
 * has a lower number than the object.
 */
class InstallOrderTest {

    static Stream<String> overlays() {
        return Manifests.overlays();
    }

    @Test
    void everyManifestIsNumberedAndUsed() throws IOException {
        // Given every YAML file under k8s/ other than kustomizations and patches
        List<Path> manifests;
        try (Stream<Path> files = Stream.of("base", "components", "overlays", "observability")
                .flatMap(dir -> walk(Manifests.ROOT.resolve(dir)))) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !f.getFileName().toString().startsWith("patch-"))
                    .toList();
        }

        // When the files that renderings actually use are collected
        Set<Path> used = new HashSet<>();
        Manifests.renderable().forEach(dir -> Manifests.render(dir).forEach(o -> used.add(o.source())));

        // Then each is numbered and part of some rendering
        assertThat(manifests).isNotEmpty();
        assertThat(manifests).allSatisfy(file -> assertThat(file.getFileName().toString()).matches("\\d{2}-[a-z0-9-]+\\.yaml"));
        assertThat(used).containsAll(manifests);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void whatAnObjectNeedsIsInstalledBeforeIt(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);
        // The overlay's own Namespace (dev), or the one applied before it (k8s/namespace)
        RenderedObject namespace = Manifests.find(objects, "Namespace", "berth")
                .orElseGet(() -> Manifests.get(Manifests.render(Manifests.NAMESPACE), "Namespace", "berth"));
        RenderedObject berth = Manifests.get(objects, "Deployment", "berth");

        // When the file numbers of objects and their dependencies are compared
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject object : objects) {
            if (object != namespace) {
                softly.assertThat(number(namespace)).as("Namespace before " + object.id()).isLessThan(number(object));
            }
        }
        for (RenderedObject workload : PodSpecs.workloads(objects)) {
            JsonNode pod = PodSpecs.podSpec(workload);
            Manifests.find(objects, "ServiceAccount", pod.path("serviceAccountName").asText("-"))
                    .ifPresent(account -> softly.assertThat(number(account)).as(account.id() + " before " + workload.id())
                            .isLessThan(number(workload)));
            for (JsonNode container : pod.path("containers")) {
                for (JsonNode source : container.path("envFrom")) {
                    Manifests.find(objects, "ConfigMap", source.at("/configMapRef/name").asText("-"))
                            .ifPresent(map -> softly.assertThat(number(map)).as(map.id() + " before " + workload.id())
                                    .isLessThan(number(workload)));
                }
            }
        }
        for (RenderedObject database : objects.stream()
                .filter(o -> o.kind().equals("Cluster") || o.kind().equals("StatefulSet")).toList()) {
            softly.assertThat(number(database)).as(database.id() + " before Berth").isLessThan(number(berth));
        }
        RenderedObject service = Manifests.get(objects, "Service", "berth");
        for (RenderedObject ingress : Manifests.ofKind(objects, "Ingress")) {
            softly.assertThat(number(ingress)).as(ingress.id() + " after its Service").isGreaterThan(number(service));
        }
        for (RenderedObject dependent : objects.stream().filter(o -> List.of(
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "ScaledObject", "TriggerAuthentication").contains(o.kind())).toList()) {
            softly.assertThat(number(dependent)).as(dependent.id() + " after Berth").isGreaterThan(number(berth));
        }

        // Then the numbers follow the dependencies
        softly.assertAll();
    }

    private static int number(RenderedObject object) {
        return Integer.parseInt(object.source().getFileName().toString().substring(0, 2));
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
