package dev.berth.deploy.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.Snapshots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The body limit counts bytes as they arrive: chunked bodies (no Content-Length) over
 * {@code berth.api.max-body-bytes} are a 413 problem and store nothing, as the issue found
 * 2 MB of session metadata and a 6 MB tool schema stored.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class BodyLimitTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI base;

    @Test
    void chunkedBodiesOverTheLimitAreRefusedAndStoreNothing() throws Exception {
        // Given an agent
        HttpResponse<String> defined = send("PUT", "v1/agents/chunky",
                "{\"instructions\":\"Chunky.\",\"model\":\"m\"}");
        assertThat(defined.statusCode()).isEqualTo(201);

        // When 2 MB of session metadata and a 6 MB tool schema arrive chunked (every table compared by content)
        List<HttpResponse<String>> refused = Snapshots.expectNothingWritten(() -> List.of(
                send("POST", "v1/sessions", "{\"agent\":\"chunky\",\"actorId\":\"a\","
                + "\"metadata\":{\"blob\":\"" + "x".repeat(2_000_000) + "\"}}"),
                send("PUT", "v1/agents/chunky", "{\"instructions\":\"i\",\"model\":\"m\","
                + "\"clientTools\":[{\"name\":\"t\",\"parameters\":{\"type\":\"object\",\"description\":\""
                + "y".repeat(6_000_000) + "\"}}]}")));

        // Then both are a 413 problem, and nothing was stored
        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).contains("https://berth.dev/problems/payload-too-large");
        }
    }

    @Test
    void aChunkedBodyUnderTheLimitIsServed() throws Exception {
        send("PUT", "v1/agents/chunky", "{\"instructions\":\"Chunky.\",\"model\":\"m\"}");
        // Padded with whitespace to just under 1 MiB, and sent without a length
        String body = "{\"agent\":\"chunky\",\"actorId\":\"padded\"}";
        HttpResponse<String> response = send("POST", "v1/sessions", body + " ".repeat(1_048_000 - body.length()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void aPostWithoutABodyIsServed() throws Exception {
        send("PUT", "v1/agents/chunky", "{\"instructions\":\"Chunky.\",\"model\":\"m\"}");
        String session = io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType("application/json")
                .body("{\"agent\":\"chunky\",\"actorId\":\"empty\"}").post("/v1/sessions").then().statusCode(201)
                .extract().path("id");
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY)
                .contentType("application/json").post("/v1/sessions/" + session + "/upgrade").then().statusCode(200);
        HttpRequest empty = HttpRequest.newBuilder(base.resolve("v1/sessions/" + session + "/upgrade"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(HTTP.send(empty, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    /** Sends the body chunked: read from a stream of unknown length, so no Content-Length is sent. */
    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
