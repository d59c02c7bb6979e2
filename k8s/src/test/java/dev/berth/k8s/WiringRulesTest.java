package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** References between objects resolve, secrets stay out, and the drain timing adds up. */
class WiringRulesTest {
    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "SECRET", "TOKEN", "API_KEY", "BOOTSTRAP_KEY");

    static Stream<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSelectPodsThatServeTheirTargetPorts(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When every Service is resolved to the pods it selects
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject service : Manifests.ofKind(objects, "Service")) {
            List<RenderedObject> selected = PodSpecs.selectedBy(objects, service.object().at("/spec/selector"));
            softly.assertThat(selected).as(service.id() + " selects a workload").isNotEmpty();
            for (JsonNode port : service.object().at("/spec/ports")) {
                softly.assertThat(port.path("targetPort").isTextual()).as(service.id() + " targets a named port").isTrue();
                for (RenderedObject workload : selected) {
                    List<String> names = new ArrayList<>();
                    workload.object().at("/spec/template/spec/containers")
                            .forEach(container -> names.addAll(PodSpecs.portNames(container)));
                    softly.assertThat(names).as(service.id() + " targetPort in " + workload.id())
                            .contains(port.path("targetPort").asText());
                }
            }
        }

        // Then every Service reaches a named port of its pods
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void disruptionBudgetsAndAutoscalersTargetObjectsThatExist(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When each budget and autoscaler target is looked up
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject pdb : Manifests.ofKind(objects, "PodDisruptionBudget")) {
            softly.assertThat(PodSpecs.selectedBy(objects, pdb.object().at("/spec/selector/matchLabels")))
                    .as(pdb.id() + " selects a workload").isNotEmpty();
        }
        for (String kind : List.of("HorizontalPodAutoscaler", "ScaledObject")) {
            for (RenderedObject scaler : Manifests.ofKind(objects, kind)) {
                JsonNode target = scaler.object().at("/spec/scaleTargetRef");
                softly.assertThat(Manifests.find(objects, target.path("kind").asText("Deployment"), target.path("name").asText()))
                        .as(scaler.id() + " target").isPresent();
            }
        }
        for (RenderedObject scaledObject : Manifests.ofKind(objects, "ScaledObject")) {
            for (JsonNode trigger : scaledObject.object().at("/spec/triggers")) {
                JsonNode auth = trigger.path("authenticationRef");
                if (!auth.isMissingNode()) {
                    softly.assertThat(Manifests.find(objects, auth.path("kind").asText("TriggerAuthentication"),
                            auth.path("name").asText())).as(scaledObject.id() + " authenticationRef").isPresent();
                }
            }
        }

        // Then none points at nothing
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsReferenceConfigMapsAndServiceAccountsThatExist(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When each pod's ConfigMap and ServiceAccount references are looked up
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject workload : PodSpecs.workloads(objects)) {
            String account = PodSpecs.podSpec(workload).path("serviceAccountName").asText("");
            if (!account.isEmpty()) {
                softly.assertThat(Manifests.find(objects, "ServiceAccount", account)).as(workload.id() + " service account").isPresent();
            }
            for (JsonNode container : PodSpecs.containers(workload)) {
                for (JsonNode source : container.path("envFrom")) {
                    String configMap = source.at("/configMapRef/name").asText("");
                    if (!configMap.isEmpty()) {
                        softly.assertThat(Manifests.find(objects, "ConfigMap", configMap)).as(workload.id() + " envFrom").isPresent();
                    }
                }
            }
        }

        // Then they all resolve
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreReferencedNeverCommitted(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When Secrets and secret-looking environment variables are inspected
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject secret : Manifests.ofKind(objects, "Secret")) {
            softly.assertThat(secret.object().path("data").isEmpty() && secret.object().path("stringData").isEmpty())
                    .as(secret.id() + " carries no data").isTrue();
        }
        for (RenderedObject configMap : Manifests.ofKind(objects, "ConfigMap")) {
            configMap.object().path("data").fieldNames().forEachRemaining(key ->
                    softly.assertThat(looksSecret(key)).as(configMap.id() + " holds no secret: " + key).isFalse());
        }
        for (RenderedObject workload : PodSpecs.workloads(objects)) {
            for (JsonNode container : PodSpecs.containers(workload)) {
                for (JsonNode env : container.path("env")) {
                    if (looksSecret(env.path("name").asText()) && env.has("value")) {
                        softly.assertThat(env.path("value").asText()).as(workload.id() + " " + env.path("name").asText()
                                + " is a literal: only an empty dev value is allowed").isEmpty();
                    }
                }
            }
        }

        // Then no secret value is in the manifests
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everythingLivesInTheBerthNamespace(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);

        // When namespaces are read
        List<String> namespaces = objects.stream()
                .filter(object -> !object.kind().equals("Namespace"))
                .map(RenderedObject::namespace)
                .distinct()
                .toList();

        // Then every object is in the Namespace applied before the overlay (k8s/namespace), which
        // only the throw-away dev overlay carries in its own bundle
        String namespace = Manifests.get(Manifests.render(Manifests.NAMESPACE), "Namespace", "berth").name();
        assertThat(namespaces).containsExactly(namespace);
        assertThat(Manifests.find(objects, "Namespace", namespace).isPresent()).isEqualTo(overlay.equals("overlays/dev"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void terminationGraceCoversPreStopAndDrain(String overlay) {
        // Given the Berth pod and its configured drain grace
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode pod = PodSpecs.podSpec(Manifests.get(objects, "Deployment", "berth"));
        JsonNode berth = Manifests.berthContainer(objects);
        long drainGrace = PodSpecs.duration(Manifests.config(objects, "BERTH_ENGINE_DRAIN_GRACE")).toSeconds();

        // When the shutdown budget is added up: preStop, the drain grace, and the 5 s Lifecycle
        // allows beyond it to release the leases, plus 5 s for the JVM to exit
        // (and a shutdown delay before the drain, where one is configured)
        long preStop = berth.at("/lifecycle/preStop/sleep/seconds").asLong(0);
        JsonNode delay = Manifests.get(objects, "ConfigMap", "berth-config").object()
                .path("data").path("BERTH_SHUTDOWN_READINESS_DELAY");
        long shutdownDelay = delay.isMissingNode() ? 0 : PodSpecs.duration(delay.asText()).toSeconds();
        long needed = preStop + shutdownDelay + drainGrace + 5 + 5;

        // Then Kubernetes waits at least that long before SIGKILL
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(needed);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void leaseOwnerIsThePodName(String overlay) {
        // Given the Berth container
        JsonNode berth = Manifests.berthContainer(Manifests.render(overlay));

        // When its owner id is looked up
        JsonNode owner = null;
        for (JsonNode env : berth.path("env")) {
            if (env.path("name").asText().equals("BERTH_ENGINE_OWNER_ID")) {
                owner = env;
            }
        }

        // Then it comes from the pod's name
        assertThat(owner).isNotNull();
        assertThat(owner.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void berthPodsAreCoveredByANetworkPolicyThatAdmitsHttp(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode berthLabels = PodSpecs.podLabels(Manifests.get(objects, "Deployment", "berth"));

        // When the NetworkPolicies selecting Berth pods are found
        List<RenderedObject> policies = Manifests.ofKind(objects, "NetworkPolicy").stream()
                .filter(policy -> PodSpecs.selects(policy.object().at("/spec/podSelector/matchLabels"), berthLabels))
                .toList();

        // Then one restricts both directions and admits the named port http
        assertThat(policies).hasSize(1);
        JsonNode spec = policies.get(0).object().path("spec");
        assertThat(spec.path("policyTypes").toString()).contains("Ingress").contains("Egress");
        assertThat(spec.at("/ingress/0/ports/0/port").asText()).isEqualTo("http");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void berthPodsMayReachThePortsOfTheirDatabaseUrls(String overlay) {
        // Given the rendered overlay and the ports of its database URLs (pooled and direct)
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode config = Manifests.get(objects, "ConfigMap", "berth-config").object().path("data");
        List<Integer> ports = java.util.stream.Stream.of("BERTH_DB_URL", "BERTH_DB_DIRECT_URL")
                .filter(config::has).map(key -> java.net.URI.create(config.path(key).asText()).getPort()).toList();

        // When the egress ports of the NetworkPolicy selecting Berth pods are read
        JsonNode berthLabels = PodSpecs.podLabels(Manifests.get(objects, "Deployment", "berth"));
        List<Integer> egress = Manifests.ofKind(objects, "NetworkPolicy").stream()
                .filter(policy -> PodSpecs.selects(policy.object().at("/spec/podSelector/matchLabels"), berthLabels))
                .flatMap(policy -> policy.object().at("/spec/egress").findValues("port").stream())
                .filter(JsonNode::isInt).map(JsonNode::asInt).toList();

        // Then every database port is admitted (PgBouncer's 6432 as well as PostgreSQL's 5432)
        assertThat(ports).isNotEmpty();
        assertThat(egress).containsAll(ports);
    }

    private static boolean looksSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(upper::contains);
    }
}
