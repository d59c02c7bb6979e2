package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where {@code kubectl} is installed (it embeds kustomize), our renderer must produce exactly
 * the objects kustomize produces. Skipped, not failed, on a developer's machine without kubectl
 * 1.27 or newer (kustomize v5: older ones, such as Debian 12's {@code kubernetes-client} 1.20 with
 * kustomize v2, refuse the manifests' {@code labels} and {@code components}); the other tests then
 * rely on the renderer alone. Under CI ({@code CI=true}) the skip is a failure that names the
 * missing tool (test-support's {@code SkipsFailInCi}).
 */
class KubectlParityTest {

    static List<String> renderable() {
        return Manifests.RENDERABLE;
    }

    @ParameterizedTest
    @MethodSource("renderable")
    void rendererProducesWhatKubectlKustomizeProduces(String directory) throws Exception {
        // Given kubectl on this machine
        assumeTrue(onPath("kubectl"), "kubectl is not on the PATH: the parity test needs kubectl 1.27 or newer"
                + " (kustomize v5)");
        String kustomize = kustomizeVersion();
        assumeTrue(kustomize.startsWith("v5") || kustomize.matches("v[6-9].*"), "kubectl's kustomize is "
                + (kustomize.isEmpty() ? "older than v4 (kubectl before 1.24)" : kustomize)
                + ": the parity test needs kubectl 1.27 or newer (kustomize v5)");

        // When both render the directory
        Map<String, JsonNode> ours = byId(Manifests.render(directory));
        Map<String, JsonNode> theirs = byId(kubectlKustomize(directory));

        // Then they hold the same objects, field for field
        assertThat(ours.keySet()).containsExactlyElementsOf(theirs.keySet());
        theirs.forEach((id, object) -> assertThat(ours.get(id)).as(id).isEqualTo(object));
    }

    private static List<RenderedObject> kubectlKustomize(String directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile("kubectl-kustomize", ".yaml");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", Manifests.ROOT.resolve(directory).toString())
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize exit code").isZero();
            return Kustomize.readObjects(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Map<String, JsonNode> byId(List<RenderedObject> objects) {
        Map<String, JsonNode> byId = new TreeMap<>();
        objects.forEach(object -> byId.put(object.id(), object.object()));
        return byId;
    }

    /** The kustomize version kubectl embeds ("v5.5.0"), or "" when kubectl is too old to say. */
    private static String kustomizeVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl version finished").isTrue();
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("Kustomize Version: (v[0-9.]+)").matcher(output);
        return version.find() ? version.group(1) : "";
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
