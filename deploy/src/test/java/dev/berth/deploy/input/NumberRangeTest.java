package dev.berth.deploy.input;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every numeric input has a range (durations 1 s .. 10 years); values outside it, however large,
 * are a 400 naming the field. Agents stored before the ranges existed still run, and their runs
 * can be cancelled.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class NumberRangeTest {
    private static final String HUGE = "9223372036854775807";
    /** Out of range in every way: too large, beyond a long, beyond a double, negative, zero, 3.2e16. */
    private static final List<String> BAD_DURATIONS = List.of("32000000000000000", "3.2e16", HUGE,
            "9223372036854775808", "1e400", "-1", "0", "315360001");

    @Test
    void outOfRangeDurationsAreRefusedByName() {
        Api.defineAgent("ranges");
        String session = openSession("ranges");
        String memory = admin().body(Map.of("namespace", "actors/ranges", "content", "likes tea"))
                .post("/v1/memories").then().statusCode(201).extract().path("id");
        for (String value : BAD_DURATIONS) {
            refused(admin().body("{\"agent\":\"ranges\",\"actorId\":\"a\",\"ttlSeconds\":" + value + "}")
                    .post("/v1/sessions"), "ttlSeconds");
            refused(admin().body("{\"namespace\":\"actors/x\",\"content\":\"c\",\"ttlSeconds\":" + value + "}")
                    .post("/v1/memories"), "ttlSeconds");
            refused(admin().body("{\"content\":\"c\",\"ttlSeconds\":" + value + "}").patch("/v1/memories/" + memory),
                    "ttlSeconds");
            refused(admin().body("{\"instructions\":\"i\",\"model\":\"m\",\"limits\":{\"runTimeoutSeconds\":" + value
                    + "}}").put("/v1/agents/ranges"), "limits.runTimeoutSeconds");
            refused(admin().body("{\"instructions\":\"i\",\"model\":\"m\",\"memory\":{\"sessionTtlSeconds\":" + value
                    + "}}").put("/v1/agents/ranges"), "memory.sessionTtlSeconds");
            refused(admin().body("{\"instructions\":\"i\",\"model\":\"m\",\"memory\":{\"memoryTtlSeconds\":" + value
                    + "}}").put("/v1/agents/ranges"), "memory.memoryTtlSeconds");
        }
        refused(admin().body("{\"instructions\":\"i\",\"model\":\"m\",\"limits\":{\"maxCompletionTokens\":1000001}}")
                .put("/v1/agents/ranges"), "limits.maxCompletionTokens");
        refused(admin().body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages?wait=61"), "wait");
        refused(admin().get("/v1/runs/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60?wait=61"), "wait");
        refused(admin().get("/v1/sessions/" + session + "/events?after=-1"), "after");
        // The bounds themselves are fine.
        admin().body(Map.of("agent", "ranges", "actorId", "a", "ttlSeconds", 315_360_000L)).post("/v1/sessions")
                .then().statusCode(201);
        admin().body(Map.of("agent", "ranges", "actorId", "a", "ttlSeconds", 1)).post("/v1/sessions")
                .then().statusCode(201);
    }

    @Test
    void aStoredAgentWithHugeDurationsStillRunsAndItsRunsCanBeCancelled() throws Exception {
        // Given an agent stored with durations near Long.MAX_VALUE (accepted before the ranges existed)
        String marker = "[huge-durations]";
        Api.defineAgent("huge", marker);
        storeDefinition("huge", "jsonb_set(jsonb_set(jsonb_set(definition, '{limits,runTimeoutSeconds}', '" + HUGE
                + "'), '{memory,sessionTtlSeconds}', '" + HUGE + "'), '{memory,memoryTtlSeconds}', '" + HUGE + "')");

        // When a session is opened with it and a run answers
        String session = openSession("huge");
        BerthTestResource.fake().route(marker, FakeReply.text("Fine."),
                FakeReply.text("Slow.").withLatency(Duration.ofSeconds(60)));
        admin().body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages?wait=20").then()
                .statusCode(200).body("status", equalTo("completed"));

        // And a second run that waits for a slow model is cancelled
        String run = admin().body(Map.of("text", "again")).post("/v1/sessions/" + session + "/messages")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(runStatus(run)));
        admin().post("/v1/runs/" + run + "/cancel").then().statusCode(200);

        // Then the run really stops
        await().atMost(Duration.ofSeconds(15)).until(() -> "cancelled".equals(runStatus(run)));
    }

    @Test
    void aRunWhoseAgentCannotBeReadFailsInsteadOfRunningForever() throws Exception {
        // Given a session whose agent version became unreadable after it was opened
        Api.defineAgent("unreadable", "[unreadable]");
        String session = openSession("unreadable");
        storeDefinition("unreadable", "jsonb_set(definition, '{schemaVersion}', '99')");

        // When input is sent
        String run = admin().body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages")
                .then().statusCode(202).extract().path("id");

        // Then the run fails with a code of its own, at once, instead of staying 'running'
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(runStatus(run)));
        admin().get("/v1/runs/" + run).then().body("error.code", equalTo("run_start_failed"));
    }

    private static String runStatus(String run) {
        return admin().get("/v1/runs/" + run).then().statusCode(200).extract().path("status");
    }

    private static void refused(io.restassured.response.Response response, String field) {
        response.then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://berth.dev/problems/validation"))
                .body("errors", hasKey(field));
    }

    private static void storeDefinition(String agent, String expression) throws Exception {
        try (Connection connection = BerthTestResource.database().connect();
                PreparedStatement update = connection.prepareStatement(
                        "update agents set definition = " + expression + " where name = ?")) {
            update.setString(1, agent);
            assertThat(update.executeUpdate()).isPositive();
        }
    }

    private static String openSession(String agent) {
        return admin().body(Map.of("agent", agent, "actorId", "numbers")).post("/v1/sessions").then()
                .statusCode(201).extract().path("id");
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    /** Agents as the tests need them. */
    static final class Api {
        private Api() {
        }

        static void defineAgent(String name) {
            defineAgent(name, "");
        }

        static void defineAgent(String name, String marker) {
            admin().body(Map.of("instructions", "You are a test agent. " + marker, "model", "test-model"))
                    .put("/v1/agents/" + name).then().statusCode(201);
        }
    }
}
