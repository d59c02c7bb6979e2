package dev.berth.model.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.internal.ModelJson;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fake with a key refuses every route without it, control routes included, and keeps a
 * bounded record of what it was asked: what demo mode relies on so that other local processes
 * can neither read the prompts it recorded nor script its answers.
 */
class FakeLockdownTest {
    static final int LIMIT = 20;
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer fake = FakeModelServer.startAndAwait(vertx,
            FakeOptions.defaults().withRandomApiKey().withRecordLimit(LIMIT));
    static final WebClient http = WebClient.create(vertx);
    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    /** Every route the fake has, with a body it would accept (method, path, body). */
    static final List<List<String>> ROUTES = List.of(
            List.of("POST", "/v1/chat/completions", CHAT),
            List.of("POST", "/v1/responses", "{\"model\":\"m\",\"input\":\"hello\"}"),
            List.of("POST", "/v1/embeddings", "{\"model\":\"m\",\"input\":\"hello\"}"),
            List.of("POST", "/openai/v1/chat/completions", CHAT),
            List.of("POST", "/openai/deployments/d/chat/completions?api-version=2024-10-21", CHAT),
            List.of("POST", "/openai/deployments/d/embeddings?api-version=2024-10-21", "{\"input\":\"hello\"}"),
            List.of("POST", "/openai/responses?api-version=2025-04-01-preview", "{\"model\":\"m\",\"input\":\"hello\"}"),
            List.of("POST", "/tenant/oauth2/v2.0/token", "grant_type=client_credentials&client_id=c&client_secret=s&scope=x"),
            List.of("GET", "/_fake/requests", ""),
            List.of("POST", "/_fake/script", "[{\"text\":\"injected\"}]"),
            List.of("POST", "/_fake/reset", ""),
            List.of("POST", "/_fake/strict", "{\"enabled\":true}"),
            List.of("GET", "/no/such/route", ""));

    @AfterAll
    static void close() {
        http.close();
        fake.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void everyRouteRefusesARequestWithoutTheKeyOrWithAnotherKey() {
        // Given a model request already recorded with the key
        assertThat(send("POST", "/v1/chat/completions", CHAT, Map.of("api-key", fake.apiKey())).statusCode())
                .isEqualTo(200);

        for (Map<String, String> credentials : List.of(Map.<String, String>of(), Map.of("api-key", "wrong"),
                Map.of("authorization", "Bearer wrong"))) {
            for (List<String> route : ROUTES) {
                // When a route is called without the key
                HttpResponse<Buffer> response = send(route.get(0), route.get(1), route.get(2), credentials);

                // Then it is a 401 in the provider's error shape (Entra ID's on its token endpoint)
                assertThat(response.statusCode()).as(route + " with " + credentials).isEqualTo(401);
                JsonNode error = ModelJson.parse(response.bodyAsString()).path("error");
                if (route.get(1).contains("oauth2")) {
                    assertThat(error.asText()).isEqualTo("invalid_client");
                } else {
                    assertThat(error.path("message").asText()).as(route.toString()).isNotBlank();
                }
            }
        }

        // and nothing was scripted, read, reset or recorded by the refused requests
        assertThat(fake.pendingReplies()).isZero();
        assertThat(fake.recordedRequests()).hasSize(1);
    }

    @Test
    void aRouteOutsideAzureAnswersInOpenAisShape() {
        JsonNode error = ModelJson.parse(send("GET", "/_fake/requests", "", Map.of()).bodyAsString()).path("error");

        assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void theKeyOpensTheControlRoutesAsAnApiKeyOrABearerToken() {
        HttpResponse<Buffer> scripted = send("POST", "/_fake/script", "[{\"text\":\"scripted\"}]",
                Map.of("authorization", "Bearer " + fake.apiKey()));
        HttpResponse<Buffer> read = send("GET", "/_fake/requests", "", Map.of("api-key", fake.apiKey()));

        assertThat(scripted.statusCode()).isEqualTo(200);
        assertThat(fake.pendingReplies()).isEqualTo(1);
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void theRecordKeepsOnlyTheNewestRequests() {
        // When LIMIT + 100 model requests are made with the key
        for (int i = 0; i < LIMIT + 100; i++) {
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"}]}";
            assertThat(send("POST", "/v1/chat/completions", body, Map.of("api-key", fake.apiKey())).statusCode())
                    .isEqualTo(200);
        }

        // Then only the newest LIMIT are kept, in order, here and over HTTP
        List<JsonNode> kept = fake.requests();
        assertThat(kept).hasSize(LIMIT);
        assertThat(kept.getFirst().at("/messages/0/content").asText()).isEqualTo("request 100");
        assertThat(kept.getLast().at("/messages/0/content").asText()).isEqualTo("request " + (LIMIT + 99));
        JsonNode listed = ModelJson.parse(send("GET", "/_fake/requests", "", Map.of("api-key", fake.apiKey())).bodyAsString());
        assertThat(listed.size()).isEqualTo(LIMIT);
    }

    @Test
    void aRandomKeyIsFreshEachTimeAndNeverPrinted() {
        FakeOptions one = FakeOptions.defaults().withRandomApiKey();
        FakeOptions two = FakeOptions.defaults().withRandomApiKey();

        assertThat(one.apiKey()).isNotEqualTo(two.apiKey()).hasSizeGreaterThan(40);
        assertThat(one.toString()).doesNotContain(one.apiKey());
    }

    @Test
    void aFakeOffLoopbackNeedsAKey() {
        assertThatThrownBy(() -> FakeOptions.defaults().withHost("0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api key");
        assertThat(FakeOptions.defaults().withApiKey("k").withHost("0.0.0.0").host()).isEqualTo("0.0.0.0");
        assertThat(FakeOptions.defaults().withHost("localhost").host()).isEqualTo("localhost");
    }

    private static HttpResponse<Buffer> send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        HttpRequest<Buffer> request = http.requestAbs(HttpMethod.valueOf(method), fake.origin() + pathAndQuery);
        request.putHeader("content-type", pathAndQuery.contains("oauth2") ? "application/x-www-form-urlencoded"
                : "application/json");
        headers.forEach(request::putHeader);
        return request.sendBuffer(Buffer.buffer(body)).await().atMost(Duration.ofSeconds(10));
    }
}
