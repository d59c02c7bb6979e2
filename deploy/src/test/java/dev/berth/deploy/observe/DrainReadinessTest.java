package dev.berth.deploy.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.ManagementPort;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first phase of a SIGTERM (Quarkus's shutdown delay) turns readiness down while liveness
 * stays up, and the engine stops claiming runs. Uses an application of its own, since it drains it.
 */
@QuarkusTest
@TestProfile(DrainReadinessTest.Drained.class)
class DrainReadinessTest {

    /** A profile of its own, so the drained application is not shared with other tests. */
    public static class Drained implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.engine.drain-grace", "2s");
        }
    }

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownDelay;

    @Test
    void readinessGoesDownWhenTheProcessDrainsAndLivenessStaysUp() {
        // Given a ready process
        BerthTestResource.fake().reset();
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'berth-engine' }.status", equalTo("UP"));

        // When it begins to drain, as on SIGTERM
        shutdownDelay.fire(new ShutdownDelayInitiatedEvent());

        // Then readiness is down because of the engine, and liveness is not affected
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(503)
                .body("checks.find { it.name == 'berth-engine' }.status", equalTo("DOWN"))
                .body("checks.name", hasItem("berth-engine"));
        given().get(ManagementPort.url("/q/health/live")).then().statusCode(200);
        // and input is still accepted, but no run is claimed by this draining process
        String session = session();
        String run = given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("text", "hello")).post("/v1/sessions/" + session + "/messages")
                .then().statusCode(202).extract().path("id");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> "queued".equals(
                given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).get("/v1/runs/" + run)
                        .then().extract().path("status")));
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    private static String session() {
        var admin = given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
        admin.body(Map.of("instructions", "You are a test agent.", "model", "test-model", "tools", List.of()))
                .put("/v1/agents/drained").then().statusCode(201);
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("agent", "drained", "actorId", "dora")).post("/v1/sessions")
                .then().statusCode(201).extract().path("id");
    }
}
