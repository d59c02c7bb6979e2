package dev.berth.deploy.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.ManagementPort;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics are answered on the management port only, and only to reads; the public
 * port keeps the OpenAPI document (reads only) and refuses the rest with problem+json.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ManagementPortTest {
    private static final List<String> MANAGEMENT_PATHS =
            List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/metrics");

    @Test
    void healthAndMetricsAreNotFoundOnThePublicPort() {
        for (String path : MANAGEMENT_PATHS) {
            given().get(path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://berth.dev/problems/not-found"))
                    .body("status", equalTo(404));
        }
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPort() {
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("berth-engine"));
        given().get(ManagementPort.url("/q/metrics")).then().statusCode(200)
                .body(containsString("berth_"));
        given().head(ManagementPort.url("/q/health/ready")).then().statusCode(200);
    }

    @Test
    void livenessWatchesThePoolOnTheManagementPort() {
        given().get(ManagementPort.url("/q/health/live")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'berth-db-pool' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'berth-db-pool' }.data.stuckAfterSeconds", equalTo(60));
    }

    @Test
    void theManagementPortOnlyReads() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            given().request(method, ManagementPort.url("/q/health/live")).then().statusCode(405)
                    .contentType("application/problem+json")
                    .header("Allow", "GET, HEAD")
                    .body("type", equalTo("https://berth.dev/problems/method-not-allowed"));
        }
        given().post(ManagementPort.url("/q/metrics")).then().statusCode(405);
    }

    @Test
    void theOpenApiDocumentStaysPublicForReadsOnly() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/sessions"));
        given().head("/q/openapi").then().statusCode(200);
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            given().request(method, "/q/openapi").then().statusCode(405)
                    .contentType("application/problem+json")
                    .header("Allow", "GET, HEAD")
                    .body("type", equalTo("https://berth.dev/problems/method-not-allowed"))
                    .body("detail", startsWith(method));
        }
        given().post("/q/openapi.json").then().statusCode(405);
    }
}
