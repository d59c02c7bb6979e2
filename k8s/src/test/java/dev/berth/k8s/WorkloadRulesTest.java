package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our rules for every pod of every overlay: security context, resources, probes, labels. */
class WorkloadRulesTest {

    static Stream<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodRunsRestricted(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> workloads = PodSpecs.workloads(Manifests.render(overlay));

        // When every pod template and container is inspected
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject workload : workloads) {
            JsonNode pod = PodSpecs.podSpec(workload);
            softly.assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(workload.id() + " runAsNonRoot").isTrue();
            softly.assertThat(pod.at("/securityContext/runAsUser").asInt(-1)).as(workload.id() + " runAsUser").isPositive();
            softly.assertThat(pod.at("/securityContext/seccompProfile/type").asText())
                    .as(workload.id() + " seccomp").isEqualTo("RuntimeDefault");
            softly.assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                    .as(workload.id() + " automountServiceAccountToken").isFalse();
            softly.assertThat(pod.path("hostNetwork").asBoolean(false)).as(workload.id() + " hostNetwork").isFalse();
            for (JsonNode container : PodSpecs.containers(workload)) {
                String where = workload.id() + " container " + container.path("name").asText();
                JsonNode security = container.path("securityContext");
                softly.assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(where + " readOnlyRootFilesystem").isTrue();
                softly.assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(where + " allowPrivilegeEscalation").isFalse();
                softly.assertThat(security.path("privileged").asBoolean(false)).as(where + " privileged").isFalse();
                softly.assertThat(security.at("/capabilities/drop").toString()).as(where + " capabilities").contains("\"ALL\"");
                softly.assertThat(security.at("/capabilities/add").isMissingNode()).as(where + " adds no capability").isTrue();
                softly.assertThat(container.path("image").asText()).as(where + " image tag").doesNotEndWith(":latest").contains(":");
            }
        }

        // Then every rule holds
        assertThat(workloads).isNotEmpty();
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasRequestsAndLimits(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> workloads = PodSpecs.workloads(Manifests.render(overlay));

        // When the resources of every container are read
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject workload : workloads) {
            for (JsonNode container : PodSpecs.containers(workload)) {
                String where = workload.id() + " container " + container.path("name").asText();
                JsonNode resources = container.path("resources");
                for (String resource : List.of("cpu", "memory")) {
                    softly.assertThat(resources.at("/requests/" + resource).isTextual()).as(where + " requests." + resource).isTrue();
                    softly.assertThat(resources.at("/limits/" + resource).isTextual()).as(where + " limits." + resource).isTrue();
                    if (resources.at("/requests/" + resource).isTextual() && resources.at("/limits/" + resource).isTextual()) {
                        softly.assertThat(PodSpecs.quantity(resources.at("/limits/" + resource).asText()))
                                .as(where + " limit >= request for " + resource)
                                .isGreaterThanOrEqualTo(PodSpecs.quantity(resources.at("/requests/" + resource).asText()));
                    }
                }
            }
        }

        // Then every container is bounded
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesUseNamedPortsThatExist(String overlay) {
        // Given the rendered overlay
        List<RenderedObject> workloads = PodSpecs.workloads(Manifests.render(overlay));

        // When every container's probes are inspected
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject workload : workloads) {
            for (JsonNode container : PodSpecs.podSpec(workload).path("containers")) {
                String where = workload.id() + " container " + container.path("name").asText();
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    JsonNode spec = container.path(probe);
                    softly.assertThat(spec.isObject()).as(where + " has a " + probe).isTrue();
                    for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                        JsonNode port = spec.path(handler).path("port");
                        if (!port.isMissingNode()) {
                            softly.assertThat(port.isTextual()).as(where + " " + probe + " uses a named port").isTrue();
                            softly.assertThat(PodSpecs.portNames(container)).as(where + " " + probe + " port exists")
                                    .contains(port.asText());
                        }
                    }
                }
            }
        }

        // Then every container is probed on a port it names
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void berthIsProbedOverHttpOnItsHealthEndpoints(String overlay) {
        // Given the Berth container of the overlay
        JsonNode berth = Manifests.berthContainer(Manifests.render(overlay));

        // When its probes are read
        String liveness = berth.at("/livenessProbe/httpGet/path").asText();
        String readiness = berth.at("/readinessProbe/httpGet/path").asText();
        String startup = berth.at("/startupProbe/httpGet/path").asText();

        // Then liveness does not depend on the database, readiness does (and on the drain state)
        assertThat(liveness).isEqualTo("/q/health/live");
        assertThat(startup).isEqualTo("/q/health/live");
        assertThat(readiness).isEqualTo("/q/health/ready");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAndScrapeTargetTheManagementPort(String overlay) {
        // Given the rendered overlay: Berth's container, pod template, Service and configuration
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode berth = Manifests.berthContainer(objects);
        RenderedObject deployment = Manifests.get(objects, "Deployment", "berth");
        JsonNode annotations = deployment.object().at("/spec/template/metadata/annotations");
        int management = Integer.parseInt(Manifests.config(objects, "BERTH_MANAGEMENT_PORT"));
        int http = Integer.parseInt(Manifests.config(objects, "BERTH_HTTP_PORT"));

        // When the named ports, the probes' ports and the scrape annotations are read
        int managementPort = -1;
        for (JsonNode port : berth.path("ports")) {
            if (port.path("name").asText().equals("management")) {
                managementPort = port.path("containerPort").asInt();
            }
        }

        // Then the container port "management" is the port Berth serves health and metrics on, apart from http,
        assertThat(managementPort).isEqualTo(management).isNotEqualTo(http);
        // every probe asks it (health is not served on http),
        SoftAssertions softly = new SoftAssertions();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            softly.assertThat(berth.at("/" + probe + "/httpGet/port").asText()).as(probe + " port").isEqualTo("management");
        }
        // the Prometheus scrape targets it,
        softly.assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        softly.assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(management));
        softly.assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        // and no Service publishes it
        for (RenderedObject service : Manifests.ofKind(objects, "Service")) {
            if (PodSpecs.selects(service.object().at("/spec/selector"), PodSpecs.podLabels(deployment))) {
                for (JsonNode port : service.object().at("/spec/ports")) {
                    softly.assertThat(port.path("targetPort").asText()).as(service.id() + " target port")
                            .isNotIn("management", Integer.toString(management));
                }
            }
        }
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void selectorsMatchTheirPodTemplates(String overlay) {
        // Given the rendered overlay's workloads
        List<RenderedObject> workloads = PodSpecs.workloads(Manifests.render(overlay));

        // When each selector is compared with its pod template's labels
        SoftAssertions softly = new SoftAssertions();
        for (RenderedObject workload : workloads) {
            softly.assertThat(PodSpecs.selects(workload.object().at("/spec/selector/matchLabels"), PodSpecs.podLabels(workload)))
                    .as(workload.id() + " selector matches its pods").isTrue();
        }

        // Then each selects its own pods
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void berthWritesOnlyToAnEmptyDirAtTmp(String overlay) {
        // Given the Berth pod of the overlay
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode pod = PodSpecs.podSpec(Manifests.get(objects, "Deployment", "berth"));
        JsonNode berth = Manifests.berthContainer(objects);

        // When its mounts are resolved to volumes
        String tmpVolume = null;
        for (JsonNode mount : berth.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                tmpVolume = mount.path("name").asText();
            }
        }
        JsonNode volume = null;
        for (JsonNode candidate : pod.path("volumes")) {
            if (candidate.path("name").asText().equals(tmpVolume)) {
                volume = candidate;
            }
        }

        // Then /tmp is an emptyDir (the root filesystem being read-only)
        assertThat(tmpVolume).as("a volume mounted at /tmp").isNotNull();
        assertThat(volume).as("the /tmp volume").isNotNull();
        assertThat(volume.has("emptyDir")).isTrue();
    }
}
