package dev.berth.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.berth.testsupport.BerthProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart on a machine with nothing configured: Berth starts its own
 * PostgreSQL and the offline demo model, a turn with a tool completes, and the session is
 * still there after a restart on the same data directory.
 */
class QuickstartIT {

    @Test
    void theQuickstartWorksWithNothingConfiguredAndSurvivesARestart() throws Exception {
        // Given an empty working directory and a Berth started in it with no configuration
        Path workDir = Files.createTempDirectory("berth-quickstart");
        String session;
        try (BerthProcess berth = BerthProcess.standalone("quickstart-1", workDir).start()) {
            given().baseUri(berth.baseUrl()).get("/v1/info").then().statusCode(200)
                    .body("demoMode", equalTo(true))
                    .body("database", equalTo("embedded"));
            theManagementEndpointsAndTheDemoModelAreNotPublic(berth);

            // When the quickstart's steps are followed
            api(berth).body(Map.of("instructions", "You are a helpful assistant.", "model", "gpt-4o",
                    "tools", List.of("current_time"))).put("/v1/agents/assistant").then().statusCode(201);
            session = api(berth).body(Map.of("agent", "assistant", "actorId", "alice"))
                    .post("/v1/sessions").then().statusCode(201).extract().path("id");
            api(berth).body(Map.of("text", "What time is it?"))
                    .post("/v1/sessions/" + session + "/messages?wait=30").then().statusCode(200)
                    .body("status", equalTo("completed"));

            // Then the demo model called the tool, the tool answered, and the model answered
            List<String> types = api(berth).get("/v1/sessions/" + session + "/events").then().statusCode(200)
                    .extract().path("items.type");
            assertThat(types).containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
            Boolean toolError = api(berth).get("/v1/sessions/" + session + "/events").then()
                    .extract().path("items[2].data.error");
            assertThat(toolError).isFalse();
            berth.stop();
        }
        assertThat(workDir.resolve(".berth/pgdata/PG_VERSION")).exists();

        // When Berth starts again in the same directory
        try (BerthProcess again = BerthProcess.standalone("quickstart-2", workDir).start()) {
            // Then the session and its four events are still there
            api(again).get("/v1/sessions/" + session).then().statusCode(200).body("lastSeq", equalTo(4));
        }
    }

    /**
     * The packaged application: health on the management port only, no Swagger UI, and a demo
     * model that refuses a local caller without the key Berth drew for it.
     */
    private static void theManagementEndpointsAndTheDemoModelAreNotPublic(BerthProcess berth) throws Exception {
        given().baseUri(berth.baseUrl()).get("/q/health/ready").then().statusCode(404)
                .contentType("application/problem+json");
        given().baseUri(berth.baseUrl()).get("/q/metrics").then().statusCode(404);
        given().baseUri(berth.baseUrl()).get("/q/swagger-ui").then().statusCode(404);
        given().get(berth.managementUrl() + "/q/health/ready").then().statusCode(200);
        given().get(berth.managementUrl() + "/q/metrics").then().statusCode(200);

        Matcher demoModel = Pattern.compile("offline fake model at (http://127\\.0\\.0\\.1:\\d+)/v1")
                .matcher(Files.readString(berth.log()));
        String origin = null;
        while (demoModel.find()) {
            origin = demoModel.group(1); // the log file may hold earlier runs: the last start is this one
        }
        assertThat(origin).as("the demo model's address in the log").isNotNull();
        given().get(origin + "/_fake/requests").then().statusCode(401);
        given().contentType(ContentType.JSON).body("[{\"text\":\"injected\"}]").post(origin + "/_fake/script")
                .then().statusCode(401);
    }

    private static RequestSpecification api(BerthProcess berth) {
        return given().baseUri(berth.baseUrl())
                .header("Authorization", "Bearer " + BerthProcess.ADMIN_KEY)
                .contentType(ContentType.JSON);
    }
}
