package dev.berth.deploy.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.ManagementPort;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Kubernetes sees when the pool is wedged: the liveness probe on the management port goes
 * DOWN (so the pod is restarted), and UP again once connections come back. An application of
 * its own, with a small pool and a short stall limit, since the test wedges it.
 */
@QuarkusTest
@TestProfile(WedgedPoolLivenessTest.SmallPool.class)
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class WedgedPoolLivenessTest {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.db.pool-size", "2", "berth.health.pool-stuck-after", "2s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void livenessOnTheManagementPortGoesDownWhileThePoolIsWedged() {
        // Given a live process
        given().get(ManagementPort.url("/q/health/live")).then().statusCode(200);

        // When every pooled connection is held and never given back, and another request waits for one
        List<SqlConnection> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(pool.getConnection().await().atMost(Duration.ofSeconds(30)));
        }
        Cancellable waiter = pool.getConnection().subscribe().with(SqlConnection::closeAndForget, failure -> { });
        try {
            // Then the liveness probe, on the management port, goes DOWN because of the pool
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    given().get(ManagementPort.url("/q/health/live")).then().statusCode(503)
                            .body("checks.find { it.name == 'berth-db-pool' }.status", equalTo("DOWN")));
        } finally {
            held.forEach(SqlConnection::closeAndForget);
            waiter.cancel();
        }

        // and once the connections are back, it is UP again
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().get(ManagementPort.url("/q/health/live")).then().statusCode(200));
    }
}
