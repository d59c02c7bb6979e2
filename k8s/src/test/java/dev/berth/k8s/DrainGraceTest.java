package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stopping pod (rollout, scale-in, node drain) lets the model call in flight finish and the
 * longest ?wait get its answer before Kubernetes kills it (docs/operations.md#drain-and-shutdown).
 */
class DrainGraceTest {
    /** Model calls of 30 s and more are normal; the grace covers two of them. */
    private static final Duration MODEL_CALL_GRACE = Duration.ofSeconds(60);

    static Stream<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theStepInFlightAndTheLongestWaitFinishBeforeSigkill(String overlay) {
        // Given the pod's grace period and the drain settings of its ConfigMap
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode pod = PodSpecs.podSpec(Manifests.get(objects, "Deployment", "berth"));
        JsonNode data = Manifests.get(objects, "ConfigMap", "berth-config").object().path("data");
        Duration drainGrace = PodSpecs.duration(Manifests.config(objects, "BERTH_ENGINE_DRAIN_GRACE"));
        Duration shutdownTimeout = PodSpecs.duration(Manifests.config(objects, "QUARKUS_SHUTDOWN_TIMEOUT"));
        long readinessDelay = data.has("BERTH_SHUTDOWN_READINESS_DELAY")
                ? PodSpecs.duration(data.path("BERTH_SHUTDOWN_READINESS_DELAY").asText()).toSeconds()
                : 1; // quarkus.shutdown.delay's default in application.properties
        long preStop = Manifests.berthContainer(objects).at("/lifecycle/preStop/sleep/seconds").asLong(0);

        // When the stop is added up: the preStop sleep, the readiness delay (the drain starts
        // there), then the longer of the HTTP requests' timeout and the drain with its lease
        // release (drain grace + 5 s, Lifecycle.onStop), and 5 s for the JVM to exit
        long needed = preStop + readinessDelay + Math.max(shutdownTimeout.toSeconds(), drainGrace.toSeconds() + 5) + 5;

        // Then a model call in flight finishes, a ?wait gets its answer, and Kubernetes waits for both
        assertThat(drainGrace).isGreaterThanOrEqualTo(MODEL_CALL_GRACE);
        assertThat(shutdownTimeout.toSeconds()).isGreaterThanOrEqualTo(maxWaitSeconds());
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(needed);
    }

    /** InputLimits.MAX_WAIT_SECONDS: the longest ?wait a client may ask for. */
    static int maxWaitSeconds() {
        String limits = Manifests.read(Manifests.ROOT.resolve(
                "../runtime-core/src/main/java/dev/berth/runtime/input/InputLimits.java"));
        Matcher matcher = Pattern.compile("MAX_WAIT_SECONDS\\s*=\\s*(\\d+);").matcher(limits);
        assertThat(matcher.find()).as("InputLimits.MAX_WAIT_SECONDS").isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
