package dev.berth.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What a newcomer looks at first: the OpenAPI document, the info endpoint, health (on the management port). */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ApiDocumentTest {

    @Test
    void theOpenApiDocumentDescribesTheV1Api() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/sessions/{id}/messages"))
                .body(containsString("/v1/agents/{name}"))
                .body(containsString("/v1/runs/{id}"));
    }

    @Test
    void everyGuardedRouteDocumentsTheRateLimitsAnswerAndThePublicOneDoesNot() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/sessions'.post.responses.'429'.headers.'Retry-After'", notNullValue())
                .body("paths.'/v1/agents/{name}'.put.responses.'429'.content.'application/problem+json'", notNullValue())
                .body("paths.'/v1/info'.get.responses.'429'", nullValue());
    }

    @Test
    void theCountedCreationsDocumentTheQuotaProblemAndReadsDoNot() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/sessions'.post.responses.'409'.description", containsString("quota-exceeded"))
                .body("paths.'/v1/api-keys'.post.responses.'409'.description", containsString("quota-exceeded"))
                .body("paths.'/v1/agents/{name}'.put.responses.'409'.description", containsString("quota-exceeded"))
                .body("paths.'/v1/sessions'.get.responses.'409'", nullValue());
    }

    @Test
    void everyCreatingRouteDocumentsTheIdempotencyKeyHeader() {
        io.restassured.path.json.JsonPath document = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        for (String[] route : new String[][] {{"/v1/sessions", "post"}, {"/v1/sessions/{id}/messages", "post"},
                {"/v1/runs/{id}/actions", "post"}, {"/v1/memories", "post"}, {"/v1/memory-blocks/{label}", "put"},
                {"/v1/agents/{name}", "put"}, {"/v1/api-keys", "post"}, {"/v1/tenants", "post"}}) {
            java.util.List<java.util.Map<String, Object>> parameters = document.getList(
                    "paths.'" + route[0] + "'." + route[1] + ".parameters");
            org.assertj.core.api.Assertions.assertThat(parameters).as(route[1] + " " + route[0])
                    .anySatisfy(parameter -> {
                        org.assertj.core.api.Assertions.assertThat(parameter).containsEntry("name", "Idempotency-Key")
                                .containsEntry("in", "header");
                        org.assertj.core.api.Assertions.assertThat((String) parameter.get("description"))
                                .contains("same key");
                    });
        }
    }

    @Test
    void infoSaysWhatTheProcessRunsAgainstWithoutAKey() {
        given().get("/v1/info").then().statusCode(200)
                .body("demoMode", equalTo(false))
                .body("modelFlavour", equalTo("openai"))
                .body("database", equalTo("external"));
    }

    @Test
    void readinessIncludesTheDatabaseAndTheEngine() {
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("berth-engine"))
                .body(containsString("berth-database"));
    }
}
