package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The custom resource schemas accept our objects and catch the mistakes they exist for. */
class CustomResourceSchemaTest {

    @Test
    void theProductionCustomResourcesAreValid() {
        // Given the custom resources of the production overlay
        List<RenderedObject> custom = Manifests.render("overlays/production").stream()
                .filter(object -> !KubernetesSchemas.isBuiltIn(object))
                .toList();

        // When each is validated against its schema
        List<String> violations = custom.stream().flatMap(o -> CustomResourceSchemas.violations(o).stream()).toList();

        // Then all five kinds are checked and valid
        assertThat(custom).extracting(RenderedObject::kind)
                .containsExactlyInAnyOrder("ObjectStore", "Cluster", "ScheduledBackup", "ScaledObject", "TriggerAuthentication");
        assertThat(violations).isEmpty();
    }

    @Test
    void anUnquotedNumberInTriggerMetadataIsCaught() {
        // Given a ScaledObject whose target is a number (KEDA's metadata is a map of strings)
        RenderedObject broken = changed("ScaledObject",
                o -> ((ObjectNode) o.at("/spec/triggers/0/metadata")).put("targetQueryValue", 48));

        // When it is validated
        List<String> violations = CustomResourceSchemas.violations(broken);

        // Then it is refused
        assertThat(violations).isNotEmpty();
    }

    @Test
    void aMisspelledPostgresTriggerParameterIsCaught() {
        // Given a postgresql trigger with a misspelled parameter KEDA would ignore
        RenderedObject broken = changed("ScaledObject",
                o -> ((ObjectNode) o.at("/spec/triggers/0/metadata")).put("username", "berth"));

        // When it is validated
        List<String> violations = CustomResourceSchemas.violations(broken);

        // Then it is refused
        assertThat(violations).isNotEmpty();
    }

    @Test
    void aNumericPostgresParameterInTheClusterIsCaught() {
        // Given a CloudNativePG Cluster with max_connections as a number
        RenderedObject broken = changed("Cluster",
                o -> ((ObjectNode) o.at("/spec/postgresql/parameters")).put("max_connections", 300));

        // When it is validated
        List<String> violations = CustomResourceSchemas.violations(broken);

        // Then it is refused (CloudNativePG wants strings)
        assertThat(violations).isNotEmpty();
    }

    private static RenderedObject changed(String kind, Consumer<ObjectNode> change) {
        RenderedObject original = Manifests.ofKind(Manifests.render("overlays/production"), kind).get(0);
        ObjectNode copy = original.object().deepCopy();
        change.accept(copy);
        return new RenderedObject(copy, original.source());
    }
}
