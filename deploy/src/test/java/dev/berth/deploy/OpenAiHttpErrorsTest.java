package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Errors answered below JAX-RS (the HTTP decoder's, the router's, the body limit's) take OpenAI's error
 * object on {@code /openai/} too, as every JAX-RS problem there does, so an OpenAI SDK reads them; the
 * native API keeps problem+json (ADR 0040). And the rate limiter's 429 reaches the SDK as its
 * {@code RateLimitException}.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OpenAiHttpErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "Authorization: Bearer " + BerthTestResource.ADMIN_KEY + "\r\n";

    @TestHTTPResource
    URL base;

    @Test
    void aBodyOverTheLimitIsAnOpenAiErrorAndNothingIsWritten() throws Exception {
        String user = "big-" + UUID.randomUUID();
        // A body over the limit, sent whole (a chat front end pasting a large document)
        String body = JSON.writeValueAsString(Map.of("model", "any", "user", user,
                "messages", java.util.List.of(Map.of("role", "user", "content", "x".repeat(1_100_000)))));
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, ("POST /openai/v1/chat/completions HTTP/1.1\r\n"
                + "Host: localhost\r\n" + KEY + "Content-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertOpenAiError(answer, 413, "invalid_request_error", "payload_too_large");
        Api.admin().get("/v1/sessions?actorId=" + user).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        // and a length announced over the limit is refused before any byte is read, the same way
        assertOpenAiError(RawHttp.send(RestAssured.port, "POST /openai/v1/responses HTTP/1.1\r\nHost: localhost\r\n"
                + KEY + "Content-Type: application/json\r\nContent-Length: 900000000\r\n\r\n{"), 413,
                "invalid_request_error", "payload_too_large");
    }

    @Test
    void theDecodersRefusalsAreOpenAiErrors() throws Exception {
        // A malformed header
        assertOpenAiError(RawHttp.send(RestAssured.port,
                "GET /openai/v1/models HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n"), 400,
                "invalid_request_error", "bad_request");
        // Headers over the limit
        assertOpenAiError(RawHttp.send(RestAssured.port, "GET /openai/v1/models HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Big: " + "a".repeat(40_000) + "\r\n\r\n"), 431, "invalid_request_error", "headers_too_large");
        // A request target that is not a URI
        assertOpenAiError(RawHttp.send(RestAssured.port, "GET /openai/v1/responses/%zz HTTP/1.1\r\nHost: localhost\r\n"
                + KEY + "\r\n"), 400, "invalid_request_error", "bad_request");
    }

    @Test
    void theRoutersRefusalsAreOpenAiErrors() throws Exception {
        // No route, and a route that does not take the method
        assertOpenAiError(RawHttp.send(RestAssured.port, "GET /openai/v1/nowhere HTTP/1.1\r\nHost: localhost\r\n"
                + KEY + "\r\n"), 404, "invalid_request_error", "not_found");
        assertOpenAiError(RawHttp.send(RestAssured.port, "DELETE /openai/v1/models HTTP/1.1\r\nHost: localhost\r\n"
                + KEY + "\r\n"), 405, "invalid_request_error", "method_not_allowed");
    }

    @Test
    void theNativeApiKeepsItsProblemsAndARequestLineWithoutAPathGetsOne() throws Exception {
        RawHttp.Answer nativeApi = RawHttp.send(RestAssured.port,
                "GET /v1/info HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n");
        assertThat(nativeApi.status()).isEqualTo(400);
        assertThat(nativeApi.header("Content-Type")).startsWith("application/problem+json");
        // The decoder could not read the request line, so it cannot know the path was on /openai/
        RawHttp.Answer noPath = RawHttp.send(RestAssured.port, "GET /openai/v1/models HTTP/1.x\r\nHost: localhost\r\n\r\n");
        assertThat(noPath.status()).isEqualTo(400);
        assertThat(noPath.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theRateLimitersRefusalIsTheSdksRateLimitException() {
        // Given a tenant whose bucket holds one request and refills once in a thousand seconds
        String key = Api.admin().body(Map.of("name", "openai-rate-" + UUID.randomUUID())).post("/v1/tenants").then()
                .statusCode(201).extract().path("adminKey.key");
        Api.as(key).body(Map.of("requestsPerSecond", 0.001, "burst", 1)).put("/v1/quotas").then().statusCode(200);
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(key).responseValidation(true).maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("no-agent")
                .addUserMessage("Hi").build();

        // When it sends requests through the SDK, then its bucket is empty: the SDK raises its RateLimitException
        assertThatThrownBy(() -> {
            for (int i = 0; i < 3; i++) {
                try {
                    client.models().list();
                    client.chat().completions().create(params);
                } catch (com.openai.errors.NotFoundException unknownAgent) {
                    // admitted: the agent does not exist
                }
            }
        }).isInstanceOf(RateLimitException.class)
                .satisfies(e -> {
                    OpenAIServiceException refused = (OpenAIServiceException) e;
                    assertThat(refused.type()).contains("rate_limit_error");
                    assertThat(refused.code()).contains("rate_limited");
                    assertThat(refused.headers().values("Retry-After")).isNotEmpty();
                });
    }

    private static void assertOpenAiError(RawHttp.Answer answer, int status, String type, String code) throws Exception {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error).as(answer.body()).isNotNull();
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(answer.header("X-Request-Id")).isNotBlank();
    }
}
