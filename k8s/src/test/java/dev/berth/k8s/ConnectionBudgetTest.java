package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PostgreSQL's max_connections covers the worst moment the manifests allow: a rollout at the
 * autoscaler's ceiling, every pod holding all its connections, plus KEDA, a migration and a
 * reserve (docs/operations.md#scale, ADR 0043).
 *
 * <pre>
 * needed = (max replicas + surge) x (pool + JDBC + LISTEN) + KEDA + migrations + reserve
 * </pre>
 */
class ConnectionBudgetTest {
    /** PgChangeFeed: one dedicated LISTEN connection per process. */
    private static final int LISTEN_PER_POD = 1;
    /** A migration run (Flyway) outside the pods, e.g. by hand or from a Job: one connection. */
    private static final int MIGRATIONS = 1;
    /**
     * CloudNativePG's instance manager and superuser_reserved_connections (3), an operator's psql,
     * monitoring queries: what is not Berth's.
     */
    private static final int RESERVE = 20;

    static Stream<String> production() {
        return Stream.of("overlays/production", "overlays/production-hpa");
    }

    @ParameterizedTest
    @MethodSource("production")
    void everyConnectionTheManifestsAllowFitsUnderMaxConnections(String overlay) {
        // Given a production overlay: pool size, the autoscaler's ceiling, the rollout's surge,
        // the JDBC pool Berth's application.properties sizes, and the database's limit
        List<RenderedObject> objects = Manifests.render(overlay);
        int pool = Integer.parseInt(Manifests.config(objects, "BERTH_DB_POOL_SIZE"));
        int jdbc = jdbcMaxSize();
        int maxReplicas = OverlayRulesTest.maxReplicas(objects);
        int surge = surge(Manifests.get(objects, "Deployment", "berth"), maxReplicas);
        int keda = Manifests.ofKind(objects, "ScaledObject").size();
        int maxConnections = Integer.parseInt(Manifests.ofKind(objects, "Cluster").get(0).object()
                .at("/spec/postgresql/parameters/max_connections").asText());

        // When the worst moment is added up
        int perPod = pool + jdbc + LISTEN_PER_POD;
        int needed = (maxReplicas + surge) * perPod + keda + MIGRATIONS + RESERVE;

        // Then PostgreSQL accepts them all, and the operator guide states the same per-pod figure
        assertThat(perPod).as("connections per pod").isEqualTo(pool + 3);
        assertThat(needed).as("(%d + %d) x %d + %d + %d + %d", maxReplicas, surge, perPod, keda, MIGRATIONS, RESERVE)
                .isLessThanOrEqualTo(maxConnections);
        assertThat(Manifests.read(Manifests.ROOT.resolve("../docs/operations.md")))
                .contains("= **" + perPod + "** per pod");
    }

    @ParameterizedTest
    @MethodSource("production")
    void theListenConnectionCountedIsTheOneTheChangeFeedHolds(String overlay) {
        // Given the change feed's source, where the LISTEN connection is opened
        String feed = Manifests.read(Manifests.ROOT.resolve("../session-store/src/main/java/dev/berth/store/PgChangeFeed.java"));

        // When its contract is read
        // Then it is one connection per process, as counted above
        assertThat(feed).contains("one dedicated LISTEN connection per process");
        assertThat(LISTEN_PER_POD).isEqualTo(1);
    }

    /** quarkus.datasource.jdbc.max-size of deploy's application.properties (Flyway's pool). */
    static int jdbcMaxSize() {
        String properties = Manifests.read(Manifests.ROOT.resolve("../deploy/src/main/resources/application.properties"));
        Matcher matcher = Pattern.compile("(?m)^quarkus\\.datasource\\.jdbc\\.max-size=(\\d+)\\s*$").matcher(properties);
        assertThat(matcher.find()).as("quarkus.datasource.jdbc.max-size in application.properties").isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** The pods a rollout adds above the wanted count: maxSurge as a number, or a percentage rounded up. */
    static int surge(RenderedObject deployment, int replicas) {
        JsonNode surge = deployment.object().at("/spec/strategy/rollingUpdate/maxSurge");
        if (surge.isMissingNode()) {
            return (int) Math.ceil(replicas * 0.25); // Kubernetes' default, 25 %
        }
        String value = surge.asText();
        return value.endsWith("%")
                ? (int) Math.ceil(replicas * Integer.parseInt(value.substring(0, value.length() - 1)) / 100.0)
                : Integer.parseInt(value);
    }
}
