package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.assertj.core.api.SoftAssertions;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Errors raised below the resources (by Vert.x and the HTTP layer of Quarkus: the request line
 * and headers, limits, routing, content negotiation, JSON reading) are problems too, with a
 * stable type. Requests a client library would refuse to send go over a raw socket.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class HttpLayerProblemsTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMalformedHeaderIsABadRequestProblem() throws Exception {
        assertProblem(RawHttp.send(RestAssured.port,
                "GET /v1/info HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n"), 400, "bad-request");
    }

    @Test
    void aMalformedRequestLineIsABadRequestProblem() throws Exception {
        assertProblem(RawHttp.send(RestAssured.port, "GET /v1/info HTTP/1.x\r\nHost: localhost\r\n\r\n"), 400,
                "bad-request");
    }

    @Test
    void headersOverTheLimitAreA431Problem() throws Exception {
        String big = "a".repeat(40_000);
        assertProblem(RawHttp.send(RestAssured.port,
                "GET /v1/info HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n"), 431, "headers-too-large");
    }

    @Test
    void aRequestLineOverTheLimitIsA414Problem() throws Exception {
        String query = "x=" + "a".repeat(10_000);
        assertProblem(RawHttp.send(RestAssured.port, "GET /v1/info?" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                414, "uri-too-long");
    }

    @Test
    void aBodyOverTheHardCapIsA413Problem() throws Exception {
        assertProblem(RawHttp.send(RestAssured.port, "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + BerthTestResource.ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 900000000\r\n\r\n{"), 413, "payload-too-large");
    }

    @Test
    void oddRequestsNeverGetABareError() throws Exception {
        String key = "Authorization: Bearer " + BerthTestResource.ADMIN_KEY + "\r\n";
        SoftAssertions softly = new SoftAssertions();
        for (String head : List.of(
                "GET /v1/sessions/%zz HTTP/1.1\r\nHost: localhost\r\n" + key + "\r\n",
                "GET /v1/info HTTP/1.1\r\nHost: ZAP%n%s%n%s\r\n\r\n",
                "GET /v1/info HTTP/1.1\r\n\r\n",
                "GET /q/nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /v1/sessions/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60 HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/csv\r\n" + key + "\r\n")) {
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, head);
            String request = head + " -> " + answer;
            System.out.println("odd request: " + request);
            softly.assertThat(answer.status()).as(request).isLessThan(500);
            if (answer.status() >= 400) {
                softly.assertThat(answer.header("Content-Type")).as(request).startsWith("application/problem+json");
            }
        }
        softly.assertAll();
    }

    @Test
    void anAcceptHeaderThatCannotBeMetIsA406Problem() {
        assertProblem(admin().accept("text/csv").get("/v1/sessions").then(), 406, "not-acceptable");
    }

    @Test
    void aWrongMethodIsA405Problem() {
        assertProblem(admin().delete("/v1/info").then(), 405, "method-not-allowed");
        assertProblem(admin().put("/v1/sessions").then(), 405, "method-not-allowed");
    }

    @Test
    void aWrongContentTypeIsA415Problem() {
        assertProblem(admin().contentType("text/plain").body("hello").post("/v1/sessions").then(), 415,
                "unsupported-media-type");
    }

    @Test
    void unknownPathsAreNotFoundProblems() {
        assertProblem(given().get("/nowhere").then(), 404, "not-found");
        assertProblem(admin().get("/v1/nowhere").then(), 404, "not-found");
        assertProblem(admin().get("/v1/sessions/a/b/c").then(), 404, "not-found");
    }

    @Test
    void malformedJsonSaysWhere() {
        assertProblem(admin().body("{\"agent\": \"x\",\n  \"actorId\": }").post("/v1/sessions").then(), 400,
                "malformed-json").body("detail", containsString("line 2, column"));
    }

    @Test
    void wrongJsonTypesNameTheField() {
        assertProblem(admin().body(Map.of("agent", "x", "actorId", Map.of("a", 1))).post("/v1/sessions").then(), 400,
                "validation").body("errors", hasKey("actorId"));
        assertProblem(admin().body("[1, 2]").post("/v1/sessions").then(), 400, "validation");
    }

    @Test
    void theClientsRequestIdIsEchoedInTheHeaderAndTheProblem() {
        admin().header("X-Request-Id", "order-42.retry_1").get("/v1/nowhere").then().statusCode(404)
                .header("X-Request-Id", "order-42.retry_1").body("requestId", equalTo("order-42.retry_1"));
        admin().header("X-Request-Id", "order-42").get("/v1/sessions").then().statusCode(200)
                .header("X-Request-Id", "order-42");
    }

    @Test
    void anUnsaneRequestIdIsReplacedByAGeneratedOne() {
        String given = "<script>" + "x".repeat(200);
        String echoed = admin().header("X-Request-Id", given).get("/v1/nowhere").then().statusCode(404)
                .extract().header("X-Request-Id");
        assertThat(echoed).isNotBlank().isNotEqualTo(given).matches("[A-Za-z0-9._:-]{1,64}");
        String generated = given().get("/v1/info").then().statusCode(200).extract().header("X-Request-Id");
        assertThat(generated).isNotBlank();
    }

    @Test
    /** HTTP/2 is off (BodyLimit, ADR 0013): a client asking for an h2c upgrade is answered in HTTP/1.1. */
    void http2ClientsAreServed() throws Exception {
        // Java's HTTP client asks for HTTP/2 (an h2c upgrade) unless told otherwise
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI info = URI.create("http://localhost:" + RestAssured.port + "/v1/info");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(info).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.version() + " " + answer.body()).isEqualTo(200);
            }
        }
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String type) throws Exception {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.header("Content-Type")).as("content type").startsWith("application/problem+json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("type").asText()).isEqualTo(PROBLEMS + type);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("requestId").asText()).isEqualTo(answer.header("X-Request-Id")).isNotBlank();
    }

    private static ValidatableResponse assertProblem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(PROBLEMS + type))
                .body("status", equalTo(status));
    }
}
