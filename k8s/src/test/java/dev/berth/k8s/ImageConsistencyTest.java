package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM image cannot be built here (no Docker engine), but what the manifests assume about
 * it can be read from its Dockerfile: the user, the port and a signal-receiving entrypoint.
 */
class ImageConsistencyTest {
    private static final String DOCKERFILE = Manifests.read(
            Manifests.ROOT.resolve("../deploy/src/main/docker/Dockerfile.jvm"));

    @Test
    void imageRunsAsTheNonRootUserThePodDeclares() {
        // Given the Berth pod's security context
        JsonNode pod = PodSpecs.podSpec(Manifests.get(Manifests.render("overlays/production"), "Deployment", "berth"));

        // When the Dockerfile's USER is read
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$").matcher(DOCKERFILE);

        // Then it is the same numeric, non-root user and group
        assertThat(user.find()).as("a numeric USER").isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive().isEqualTo(pod.at("/securityContext/runAsUser").asInt());
        assertThat(user.group(2)).isEqualTo(pod.at("/securityContext/runAsGroup").asText());
    }

    @Test
    void imageExposesThePortTheProbesUseAndLetsJavaReceiveSigterm() {
        // Given the Berth container's named ports (http, then management)
        JsonNode berth = Manifests.berthContainer(Manifests.render("overlays/production"));
        List<String> ports = new java.util.ArrayList<>();
        berth.path("ports").forEach(port -> ports.add(port.path("containerPort").asText()));

        // When the Dockerfile's EXPOSE and ENTRYPOINT are read
        List<String> lines = DOCKERFILE.lines().toList();

        // Then the ports match, and java runs as PID 1 (exec form) from the fast-jar layout
        assertThat(ports).hasSize(2);
        assertThat(lines).contains("EXPOSE " + String.join(" ", ports));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("ENTRYPOINT [\"java\"").contains("quarkus-run.jar"));
        assertThat(DOCKERFILE).contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
    }
}
