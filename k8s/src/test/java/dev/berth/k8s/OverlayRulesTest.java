package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What distinguishes the dev overlay from the production ones, and production sizing. */
class OverlayRulesTest {

    static Stream<String> production() {
        return Stream.of("overlays/production", "overlays/production-hpa");
    }

    @Test
    void devRunsOnePodAgainstItsOwnPostgres() {
        // Given the dev overlay
        List<RenderedObject> objects = Manifests.render("overlays/dev");

        // When its workloads and database URL are read
        int replicas = Manifests.get(objects, "Deployment", "berth").object().at("/spec/replicas").asInt();
        RenderedObject postgres = Manifests.get(objects, "StatefulSet", "berth-postgres");
        String url = Manifests.config(objects, "BERTH_DB_URL");

        // Then one Berth pod talks to the in-cluster PostgreSQL, and nothing of production is there
        assertThat(replicas).isEqualTo(1);
        assertThat(url).isEqualTo("postgresql://" + Manifests.get(objects, "Service", "berth-postgres").name() + ":5432/berth");
        assertThat(postgres.object().at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(objects).noneMatch(o -> List.of("Cluster", "ScaledObject", "HorizontalPodAutoscaler").contains(o.kind()));
    }

    @ParameterizedTest
    @MethodSource("production")
    void productionRunsSeveralSpreadPodsWithABudget(String overlay) {
        // Given a production overlay
        List<RenderedObject> objects = Manifests.render(overlay);
        RenderedObject deployment = Manifests.get(objects, "Deployment", "berth");

        // When its replica floor, spread and disruption budget are read
        int minReplicas = Manifests.find(objects, "ScaledObject", "berth")
                .map(so -> so.object().at("/spec/minReplicaCount").asInt())
                .orElseGet(() -> Manifests.get(objects, "HorizontalPodAutoscaler", "berth").object().at("/spec/minReplicas").asInt());
        JsonNode pod = PodSpecs.podSpec(deployment);
        JsonNode pdb = Manifests.get(objects, "PodDisruptionBudget", "berth").object().path("spec");

        // Then the autoscaler keeps several pods on different nodes and zones, and a drain takes one at a time
        assertThat(minReplicas).isGreaterThanOrEqualTo(2);
        assertThat(pod.path("topologySpreadConstraints").findValuesAsText("topologyKey"))
                .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(pod.at("/affinity/podAntiAffinity").isObject()).isTrue();
        assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("production")
    void productionHasExactlyOneAutoscaler(String overlay) {
        // Given a production overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When its autoscalers are counted (KEDA creates an HPA of its own from a ScaledObject)
        long autoscalers = objects.stream()
                .filter(o -> o.kind().equals("ScaledObject") || o.kind().equals("HorizontalPodAutoscaler"))
                .count();

        // Then there is one, so two controllers never fight over the replica count
        assertThat(autoscalers).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("production")
    void productionNeedsTheModelKeyAndUsesTheDatabaseSecretOfCloudNativePg(String overlay) {
        // Given a production overlay
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode berth = Manifests.berthContainer(objects);
        String cluster = Manifests.ofKind(objects, "Cluster").get(0).name();

        // When the secret references are read
        JsonNode apiKey = env(berth, "BERTH_MODEL_API_KEY").at("/valueFrom/secretKeyRef");
        JsonNode password = env(berth, "BERTH_DB_PASSWORD").at("/valueFrom/secretKeyRef");

        // Then a missing model key stops the pod, and the database credentials are CloudNativePG's
        assertThat(apiKey.path("optional").asBoolean(true)).isFalse();
        assertThat(password.path("name").asText()).isEqualTo(cluster + "-app");
        assertThat(Manifests.config(objects, "BERTH_DB_URL")).startsWith("postgresql://" + cluster + "-rw:5432/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/production", "overlays/production-hpa", "overlays/azure-flexible-server"})
    void everyProductionOverlayNeedsTheSecretKeysAreHashedWith(String overlay) {
        // Given an overlay meant for production
        JsonNode berth = Manifests.berthContainer(Manifests.render(overlay));

        // When the key-hash secret's reference is read
        JsonNode keySecret = env(berth, "BERTH_AUTH_KEY_SECRET").at("/valueFrom/secretKeyRef");

        // Then a missing Secret stops the pod: no API key is ever hashed with a secret kept beside the
        // hashes in the database, where a copy of the database could mint keys (ADR 0028)
        assertThat(keySecret.path("name").asText()).isEqualTo("berth-auth");
        assertThat(keySecret.path("key").asText()).isEqualTo("key-secret");
        assertThat(keySecret.path("optional").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("production")
    void theAutoscalerAloneOwnsTheReplicaCount(String overlay) {
        // Given a production overlay, whose Deployment an autoscaler scales
        RenderedObject deployment = Manifests.get(Manifests.render(overlay), "Deployment", "berth");

        // When the rendered Deployment and its rollout are read
        JsonNode spec = deployment.object().path("spec");

        // Then it names no replica count (every apply or GitOps sync would cut the fleet back to it),
        // and a rollout adds one pod at a time (the connection budget counts max replicas + 1)
        assertThat(spec.has("replicas")).as("replicas in the rendered Deployment").isFalse();
        assertThat(spec.at("/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("1");
        assertThat(spec.at("/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo("0");
    }

    @ParameterizedTest
    @MethodSource("production")
    void theDatabaseClusterHasThreeInstances(String overlay) {
        // Given a production overlay's database (its connection budget: ConnectionBudgetTest)
        List<RenderedObject> objects = Manifests.render(overlay);

        // When the Cluster is read
        JsonNode cluster = Manifests.ofKind(objects, "Cluster").get(0).object().path("spec");

        // Then a primary and two standbys keep the data
        assertThat(cluster.path("instances").asInt()).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("production")
    void scalingTargetLeavesHeadroomUnderTheRunLimit(String overlay) {
        // Given a production overlay's per-pod run limit and its autoscaler's per-pod target
        List<RenderedObject> objects = Manifests.render(overlay);
        int maxConcurrentRuns = Integer.parseInt(Manifests.config(objects, "BERTH_ENGINE_MAX_CONCURRENT_RUNS"));

        // When the target is read from whichever autoscaler the overlay has
        double target = Manifests.find(objects, "ScaledObject", "berth")
                .map(so -> Double.parseDouble(so.object().at("/spec/triggers/0/metadata/targetQueryValue").asText()))
                .orElseGet(() -> Double.parseDouble(Manifests.get(objects, "HorizontalPodAutoscaler", "berth")
                        .object().at("/spec/metrics/0/pods/target/averageValue").asText()));

        // Then pods scale out before they are full
        assertThat(target).isPositive().isLessThan(maxConcurrentRuns);
    }

    static int maxReplicas(List<RenderedObject> objects) {
        return Manifests.find(objects, "ScaledObject", "berth")
                .map(so -> so.object().at("/spec/maxReplicaCount").asInt())
                .orElseGet(() -> Manifests.get(objects, "HorizontalPodAutoscaler", "berth").object().at("/spec/maxReplicas").asInt());
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(name)) {
                return env;
            }
        }
        throw new AssertionError("no env " + name);
    }
}
