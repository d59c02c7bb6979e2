package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production database (components/production, ADR 0043): what a failover, a lost zone, a
 * deleted app bundle or a bad day needs to lose no acknowledged input.
 */
class DatabaseComponentTest {
    private static final String ZONE = "topology.kubernetes.io/zone";

    static Stream<String> production() {
        return Stream.of("overlays/production", "overlays/production-hpa");
    }

    @ParameterizedTest
    @MethodSource("production")
    void aCommitIsOnAStandbyBeforeItIsAcknowledged(String overlay) {
        // Given the production Cluster
        JsonNode cluster = cluster(Manifests.render(overlay));

        // When its replication settings are read (the current synchronous stanza, or the older
        // minSyncReplicas form)
        JsonNode synchronous = cluster.at("/postgresql/synchronous");
        int standbys = synchronous.isMissingNode()
                ? cluster.path("minSyncReplicas").asInt(0)
                : synchronous.path("number").asInt(0);

        // Then a commit waits for at least one standby, never silently turns asynchronous, and
        // enough instances remain to keep committing with one lost
        assertThat(standbys).isGreaterThanOrEqualTo(1);
        assertThat(synchronous.path("dataDurability").asText("required")).isEqualTo("required");
        assertThat(cluster.path("instances").asInt()).isGreaterThanOrEqualTo(standbys + 2);
    }

    @ParameterizedTest
    @MethodSource("production")
    void instancesAreInDifferentZonesOnAPinnedImageWithWalOnItsOwnVolume(String overlay) {
        // Given the production Cluster
        JsonNode cluster = cluster(Manifests.render(overlay));

        // When its placement, image and volumes are read
        JsonNode affinity = cluster.path("affinity");
        String image = cluster.path("imageName").asText();

        // Then no two instances share a zone, the PostgreSQL version is exact (a tag with a minor
        // version, or a digest), and WAL has a volume of its own
        assertThat(affinity.path("enablePodAntiAffinity").asBoolean()).isTrue();
        assertThat(affinity.path("topologyKey").asText()).isEqualTo(ZONE);
        assertThat(affinity.path("podAntiAffinityType").asText()).isEqualTo("required");
        assertThat(image).matches(".+(:\\d+\\.\\d+[\\w.-]*(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})");
        assertThat(cluster.at("/walStorage/size").asText()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("production")
    void walIsArchivedAndBaseBackupsAreScheduledToAnObjectStoreWithoutAStoredKey(String overlay) {
        // Given the production rendering
        List<RenderedObject> objects = Manifests.render(overlay);
        RenderedObject cluster = Manifests.ofKind(objects, "Cluster").get(0);

        // When the WAL archiver, its object store and the scheduled backup are followed by name
        JsonNode archiver = java.util.stream.StreamSupport.stream(cluster.object().at("/spec/plugins").spliterator(), false)
                .filter(plugin -> plugin.path("isWALArchiver").asBoolean())
                .findFirst().orElseThrow(() -> new AssertionError("no WAL archiver plugin"));
        JsonNode store = Manifests.get(objects, "ObjectStore", archiver.at("/parameters/barmanObjectName").asText())
                .object().path("spec");
        List<RenderedObject> scheduled = Manifests.ofKind(objects, "ScheduledBackup");

        // Then WAL goes continuously to the object store, through workload identity (Azure) or
        // IRSA (S3), with a retention window; a base backup of this Cluster is taken on a schedule
        // through the same plugin, and one at once
        assertThat(store.at("/configuration/destinationPath").asText()).matches("(https|s3)://.+");
        assertThat(store.at("/configuration/azureCredentials/useDefaultAzureCredentials").asBoolean()
                || store.at("/configuration/s3Credentials/inheritFromIAMRole").asBoolean()).isTrue();
        assertThat(store.path("retentionPolicy").asText()).isNotBlank();
        assertThat(scheduled).anySatisfy(backup -> {
            JsonNode spec = backup.object().path("spec");
            assertThat(spec.at("/cluster/name").asText()).isEqualTo(cluster.name());
            assertThat(spec.path("method").asText()).isEqualTo("plugin");
            assertThat(spec.at("/pluginConfiguration/name").asText()).isEqualTo(archiver.path("name").asText());
            assertThat(spec.path("immediate").asBoolean()).isTrue();
        });
    }

    @ParameterizedTest
    @MethodSource("production")
    void backupsAuthenticateWithTheInstancesWorkloadIdentity(String overlay) {
        // Given the production Cluster and its object store
        List<RenderedObject> objects = Manifests.render(overlay);
        JsonNode cluster = cluster(objects);
        boolean azure = Manifests.ofKind(objects, "ObjectStore").get(0).object()
                .at("/spec/configuration/azureCredentials/useDefaultAzureCredentials").asBoolean();

        // When the instance pods' ServiceAccount template and inherited labels are read
        JsonNode annotations = cluster.at("/serviceAccountTemplate/metadata/annotations");
        JsonNode labels = cluster.at("/inheritedMetadata/labels");

        // Then the identity the object store inherits is there: Azure workload identity (client id
        // on the ServiceAccount, the webhook's label on the pods), or an IAM role for IRSA
        if (azure) {
            assertThat(annotations.path("azure.workload.identity/client-id").asText()).isNotBlank();
            assertThat(labels.path("azure.workload.identity/use").asText()).isEqualTo("true");
        } else {
            assertThat(annotations.path("eks.amazonaws.com/role-arn").asText()).isNotBlank();
        }
    }

    @Test
    void theNamespaceIsAppliedOnItsOwnSoDeletingTheAppKeepsTheDatabase() {
        // Given the namespace kustomization and every overlay
        List<RenderedObject> namespace = Manifests.render(Manifests.NAMESPACE);

        // When the Namespace objects are looked for
        // Then only k8s/namespace (and the throw-away dev bundle) creates it: `kubectl delete -k`
        // or a GitOps prune of a production bundle cannot delete the namespace, its volumes and Secrets
        assertThat(namespace).extracting(RenderedObject::kind).containsExactly("Namespace");
        assertThat(namespace.get(0).object().at("/metadata/annotations/argocd.argoproj.io~1sync-options").asText())
                .contains("Prune=false", "Delete=false");
        Stream.of("overlays/production", "overlays/production-hpa", "overlays/azure-flexible-server")
                .forEach(overlay -> assertThat(Manifests.render(overlay))
                        .as(overlay).noneMatch(o -> o.kind().equals("Namespace")));
        assertThat(Manifests.render("overlays/dev")).anyMatch(o -> o.kind().equals("Namespace"));
    }

    @ParameterizedTest
    @MethodSource("production")
    void gitOpsToolsNeverPruneTheDatabase(String overlay) {
        // Given the production Cluster's annotations
        JsonNode annotations = Manifests.ofKind(Manifests.render(overlay), "Cluster").get(0).object().at("/metadata/annotations");

        // When the prune and delete policies are read
        // Then Argo CD and Flux leave the Cluster in place when it leaves the bundle
        assertThat(annotations.path("argocd.argoproj.io/sync-options").asText()).contains("Prune=false", "Delete=false");
        assertThat(annotations.path("kustomize.toolkit.fluxcd.io/prune").asText()).isEqualTo("disabled");
    }

    private static JsonNode cluster(List<RenderedObject> objects) {
        List<RenderedObject> clusters = Manifests.ofKind(objects, "Cluster");
        assertThat(clusters).hasSize(1);
        return clusters.get(0).object().path("spec");
    }
}
