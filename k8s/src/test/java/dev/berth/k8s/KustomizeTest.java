package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer itself, on small kustomizations: what it does, and what it refuses. */
class KustomizeTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                    - name: app
                      image: app:1.0
                      ports:
                        - name: http
                          containerPort: 8080
                      env:
                        - name: A
                          value: a
                        - name: B
                          valueFrom:
                            secretKeyRef: {name: s, key: b}
                        - name: C
                          value: c
            """;

    @TempDir
    Path dir;

    @Test
    void patchMergesContainersAndEnvByNameAndNullDeletes() throws IOException {
        // Given a base deployment and an overlay patching one env entry of its container
        write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
        write("base/deployment.yaml", DEPLOYMENT);
        write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n  - path: patch.yaml\n");
        write("overlay/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - name: B
                              value: b
                              valueFrom: null
                """);

        // When it is rendered
        List<RenderedObject> objects = Kustomize.render(dir.resolve("overlay"));

        // Then B is replaced in place of the patch, the others are kept, and so are the ports
        JsonNode container = objects.get(0).object().at("/spec/template/spec/containers/0");
        assertThat(container.path("env").toString())
                .isEqualTo("[{\"name\":\"B\",\"value\":\"b\"},{\"name\":\"A\",\"value\":\"a\"},{\"name\":\"C\",\"value\":\"c\"}]");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.path("image").asText()).isEqualTo("app:1.0");
    }

    @Test
    void namespaceLabelsReplicasAndImagesAreApplied() throws IOException {
        // Given a kustomization with every transformer the renderer supports
        write("k/kustomization.yaml", """
                namespace: team
                labels:
                  - pairs: {part-of: thing}
                resources: [ns.yaml, deployment.yaml]
                replicas:
                  - {name: app, count: 4}
                images:
                  - {name: app, newName: registry.example.com/app, newTag: "2.0"}
                """);
        write("k/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
        write("k/deployment.yaml", DEPLOYMENT);

        // When it is rendered
        List<RenderedObject> objects = Kustomize.render(dir.resolve("k"));

        // Then the Deployment is namespaced, labelled, scaled and re-imaged; the Namespace is not namespaced
        JsonNode deployment = objects.get(1).object();
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("team");
        assertThat(deployment.at("/metadata/labels/part-of").asText()).isEqualTo("thing");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/app:2.0");
        assertThat(objects.get(0).object().at("/metadata").has("namespace")).isFalse();
    }

    @Test
    void unsupportedKustomizeFeaturesAreRefused() throws IOException {
        // Given a kustomization using a feature the renderer does not implement
        write("k/kustomization.yaml", "resources: [deployment.yaml]\nnamePrefix: dev-\n");
        write("k/deployment.yaml", DEPLOYMENT);

        // When it is rendered, then it fails instead of rendering something else than kustomize would
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("k")))
                .hasMessageContaining("namePrefix");
    }

    @Test
    void patchDirectivesAreRefused() throws IOException {
        // Given a patch with a strategic merge directive
        write("k/kustomization.yaml", "resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n");
        write("k/deployment.yaml", DEPLOYMENT);
        write("k/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  $patch: replace
                """);

        // When it is rendered, then the directive is named in the failure
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("k"))).hasMessageContaining("$patch");
    }

    @Test
    void aPatchThatMatchesNothingFails() throws IOException {
        // Given a patch naming an object that does not exist
        write("k/kustomization.yaml", "resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n");
        write("k/deployment.yaml", DEPLOYMENT);
        write("k/patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\nspec: {replicas: 2}\n");

        // When it is rendered, then it fails
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("k"))).hasMessageContaining("matches 0 objects");
    }

    @Test
    void duplicateObjectsFail() throws IOException {
        // Given the same object listed twice
        write("k/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
        write("k/a.yaml", DEPLOYMENT);
        write("k/b.yaml", DEPLOYMENT);

        // When it is rendered, then it fails
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("k"))).hasMessageContaining("duplicate");
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
