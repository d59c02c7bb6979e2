package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered object is valid against the Kubernetes schema or a custom resource's schema. */
class KubernetesSchemaTest {

    static Stream<String> renderable() {
        return Manifests.renderable();
    }

    @ParameterizedTest
    @MethodSource("renderable")
    void everyRenderedObjectMatchesItsSchema(String directory) {
        // Given the rendered directory
        List<RenderedObject> objects = Manifests.render(directory);

        // When every object is checked against its schema
        Map<String, List<String>> violations = new LinkedHashMap<>();
        for (RenderedObject object : objects) {
            List<String> found = KubernetesSchemas.isBuiltIn(object)
                    ? KubernetesSchemas.violations(object)
                    : CustomResourceSchemas.violations(object);
            if (!found.isEmpty()) {
                violations.put(object.id(), found);
            }
        }

        // Then there are none
        assertThat(objects).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @Test
    void aMisspelledFieldIsCaught() {
        // Given a Deployment whose container has a typo in a field name
        RenderedObject deployment = Manifests.render("overlays/dev").stream()
                .filter(o -> o.kind().equals("Deployment")).findFirst().orElseThrow();
        var broken = deployment.object().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/spec/template/spec/containers/0"))
                .put("readinesProbe", "x");

        // When it is validated
        List<String> violations = KubernetesSchemas.violations(new RenderedObject(broken, deployment.source()));

        // Then the schema check names the unknown field
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("readinesProbe"));
    }

    @Test
    void aNumberWhereKubernetesWantsAStringIsCaught() {
        // Given a ConfigMap with a number as a value (the classic unquoted "64")
        RenderedObject config = Manifests.render("overlays/dev").stream()
                .filter(o -> o.kind().equals("ConfigMap")).findFirst().orElseThrow();
        var broken = config.object().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("data")).put("BERTH_DB_POOL_SIZE", 20);

        // When it is validated
        List<String> violations = KubernetesSchemas.violations(new RenderedObject(broken, config.source()));

        // Then it is refused
        assertThat(violations).isNotEmpty();
    }
}
