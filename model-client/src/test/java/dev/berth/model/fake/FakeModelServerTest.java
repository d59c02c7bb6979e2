package dev.berth.model.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.internal.ModelJson;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake driven over plain HTTP, as an out-of-process test or benchmark would. */
class FakeModelServerTest {
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
    static final WebClient http = WebClient.create(vertx);

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

    private static HttpResponse<Buffer> post(String path, String body) {
        return http.postAbs(fake.origin() + path).putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body)).await().atMost(Duration.ofSeconds(10));
    }

    private static JsonNode chat(String path, String body) {
        HttpResponse<Buffer> r = post(path, body);
        assertThat(r.statusCode()).isEqualTo(200);
        return ModelJson.parse(r.bodyAsString());
    }

    @Test
    void azure_route_answers_in_the_azure_shape() {
        JsonNode r = chat("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

        assertThat(r.get("object").asText()).isEqualTo("chat.completion");
        assertThat(r.get("id").asText()).startsWith("chatcmpl-");
        assertThat(r.get("model").asText()).isEqualTo("gpt-4o");
        assertThat(r.get("created").asLong()).isPositive();
        assertThat(r.get("system_fingerprint").asText()).isNotBlank();
        assertThat(r.at("/prompt_filter_results/0/content_filter_results/hate/filtered").asBoolean()).isFalse();
        assertThat(r.at("/choices/0/content_filter_results")).isNotNull();
        assertThat(r.at("/choices/0/message/content").asText())
                .isEqualTo("Demo mode (offline fake model): you said \"hello there\".");
        assertThat(r.at("/usage/prompt_tokens").asLong()).isBetween(2L, 10L);
        assertThat(r.at("/usage/total_tokens").asLong()).isEqualTo(
                r.at("/usage/prompt_tokens").asLong() + r.at("/usage/completion_tokens").asLong());
    }

    @Test
    void openai_route_has_no_azure_annotations() {
        JsonNode r = chat("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(r.has("prompt_filter_results")).isFalse();
    }

    @Test
    void demo_brain_calls_a_matching_tool_with_schema_defaults() {
        JsonNode r = chat("/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"what's the weather in Oslo"}],
                 "tools":[{"type":"function","function":{"name":"send_mail","description":"Send an email","parameters":{}}},
                          {"type":"function","function":{"name":"lookup","description":"Weather forecast for a city",
                           "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
                           "metric":{"type":"boolean"},"unit":{"type":"string","enum":["C","F"]},"note":{"type":"string"}},
                           "required":["city","days","metric","unit"]}}}]}""");

        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(r.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(r.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("lookup");
        JsonNode args = ModelJson.parse(r.at("/choices/0/message/tool_calls/0/function/arguments").asText());
        assertThat(args.get("city").asText()).isEqualTo("oslo");
        assertThat(args.get("days").asInt()).isEqualTo(1);
        assertThat(args.get("metric").asBoolean()).isTrue();
        assertThat(args.get("unit").asText()).isEqualTo("C");
        assertThat(args.has("note")).isFalse();
    }

    @Test
    void demo_brain_ignores_stop_words_when_matching_tools() {
        JsonNode r = chat("/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"what is it"}],
                 "tools":[{"type":"function","function":{"name":"what_is_it","description":"the","parameters":{}}}]}""");

        assertThat(r.at("/choices/0/message/content").asText()).startsWith("Demo mode");
    }

    @Test
    void demo_brain_honours_tool_choice() {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"clock\",\"description\":\"time\",\"parameters\":{}}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"mail\",\"description\":\"send\",\"parameters\":{}}}]";
        String none = chat("/v1/chat/completions", "{\"model\":\"m\",\"tool_choice\":\"none\",\"messages\":[{\"role\":\"user\",\"content\":\"time?\"}]," + tools + "}")
                .at("/choices/0/message/content").asText();
        String forced = chat("/v1/chat/completions", "{\"model\":\"m\",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"mail\"}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"time?\"}]," + tools + "}").at("/choices/0/message/tool_calls/0/function/name").asText();
        String required = chat("/v1/chat/completions", "{\"model\":\"m\",\"tool_choice\":\"required\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]," + tools + "}").at("/choices/0/message/tool_calls/0/function/name").asText();

        assertThat(none).startsWith("Demo mode");
        assertThat(forced).isEqualTo("mail");
        assertThat(required).isEqualTo("clock");
    }

    @Test
    void demo_brain_summarises_tool_output() {
        JsonNode r = chat("/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"time?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"{\\"now\\":\\"09:00\\"}"}]}""");

        assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("The tool get_time returned: {\"now\":\"09:00\"}.");
    }

    @Test
    void scripts_and_recorded_requests_over_http() {
        HttpResponse<Buffer> queued = post("/_fake/script", """
                {"replies":[{"text":"scripted one","latencyMs":5},
                            {"toolCalls":[{"id":"call_9","name":"f","arguments":{"a":1}}]},
                            {"error":{"status":429,"code":"429","message":"slow down","headers":{"Retry-After":"2"}}}]}""");
        assertThat(ModelJson.parse(queued.bodyAsString()).get("pending").asInt()).isEqualTo(3);

        String req = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(chat("/v1/chat/completions", req).at("/choices/0/message/content").asText()).isEqualTo("scripted one");
        assertThat(chat("/v1/chat/completions", req).at("/choices/0/message/tool_calls/0/function/arguments").asText())
                .isEqualTo("{\"a\":1}");
        HttpResponse<Buffer> throttled = post("/v1/chat/completions", req);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.getHeader("Retry-After")).isEqualTo("2");
        assertThat(ModelJson.parse(throttled.bodyAsString()).at("/error/code").asText()).isEqualTo("429");

        JsonNode recorded = ModelJson.parse(http.getAbs(fake.origin() + "/_fake/requests").send()
                .await().atMost(Duration.ofSeconds(5)).bodyAsString());
        assertThat(recorded).hasSize(3);
        assertThat(recorded.get(0).at("/body/messages/0/content").asText()).isEqualTo("x");

        post("/_fake/reset", "");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void classic_route_needs_api_version() {
        String req = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(post("/openai/deployments/dep1/chat/completions", req).statusCode()).isEqualTo(404);

        JsonNode ok = chat("/openai/deployments/dep1/chat/completions?api-version=2024-10-21", req);
        assertThat(ok.get("model").asText()).isEqualTo("dep1");
    }

    @Test
    void classic_responses_only_under_api_versions_that_have_it() {
        String req = "{\"model\":\"dep\",\"input\":\"x\"}";
        for (String version : List.of("2024-10-21", "2024-12-01-preview", "2025-01-01-preview", "preview", "v1")) {
            HttpResponse<Buffer> refused = post("/openai/responses?api-version=" + version, req);
            assertThat(refused.statusCode()).as(version).isEqualTo(404);
            assertThat(refused.bodyAsString()).as(version).contains("Resource not found");
        }
        assertThat(chat("/openai/responses?api-version=2025-03-01-preview", req).get("object").asText()).isEqualTo("response");
        assertThat(chat("/openai/responses?api-version=2025-04-01-preview", req).get("object").asText()).isEqualTo("response");
    }

    @Test
    void demo_brain_tool_call_ids_are_unique_across_calls() {
        String req = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Oslo\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"description\":\"the weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}";

        String first = chat("/v1/chat/completions", req).at("/choices/0/message/tool_calls/0/id").asText();
        String second = chat("/v1/chat/completions", req).at("/choices/0/message/tool_calls/0/id").asText();

        assertThat(first).startsWith("call_demo_");
        assertThat(second).startsWith("call_demo_").isNotEqualTo(first);
    }

    @Test
    void chaos_scripted_over_http_drops_a_stream_midway() {
        post("/_fake/script", "[{\"dropMidStream\":{\"afterChunks\":2,\"reply\":{\"text\":\"a b c d\"}}}]");

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> post("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));

        assertThat(t).isNotNull();
        assertThat(fake.pendingReplies()).isZero();
    }

    @Test
    void recorded_requests_over_http_mask_credentials() {
        http.postAbs(fake.origin() + "/v1/chat/completions").putHeader("api-key", "top-secret")
                .putHeader("authorization", "Bearer top-secret")
                .sendBuffer(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .await().atMost(Duration.ofSeconds(5));

        String recorded = http.getAbs(fake.origin() + "/_fake/requests").send().await().atMost(Duration.ofSeconds(5))
                .bodyAsString();

        assertThat(recorded).doesNotContain("top-secret").contains("\"api-key\":\"***\"");
    }

    @Test
    void strict_mode_refuses_unscripted_calls_and_reports_unconsumed_replies() {
        String req = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        post("/_fake/strict", "{\"enabled\":true}");
        try {
            HttpResponse<Buffer> refused = post("/v1/chat/completions", req);
            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(refused.bodyAsString()).contains("fake_script_exhausted");

            fake.enqueue(FakeReply.text("one"), FakeReply.text("two"));
            assertThat(chat("/v1/chat/completions", req).at("/choices/0/message/content").asText()).isEqualTo("one");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(fake::assertScriptConsumed))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("1 scripted");
        } finally {
            fake.strict(false);
        }
    }

    @Test
    void a_bad_script_is_rejected() {
        assertThat(post("/_fake/script", "[{\"nonsense\":true}]").statusCode()).isEqualTo(400);
    }

    @Test
    void routed_replies_go_to_requests_whose_system_instructions_carry_the_marker() {
        // Given a main script and a route for one agent
        fake.enqueue(FakeReply.text("from the main script"));
        fake.route("[agent:b]", FakeReply.text("for b"));
        String forA = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a. [agent:a]\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}";
        String forB = forA.replace("[agent:a]", "[agent:b]");

        // When b asks first, then a, then b again
        String first = chat("/v1/chat/completions", forB).at("/choices/0/message/content").asText();
        String second = chat("/v1/chat/completions", forA).at("/choices/0/message/content").asText();
        String third = chat("/v1/chat/completions", forB).at("/choices/0/message/content").asText();

        // Then b gets its route's reply, a the main script's, and b falls back to the demo brain once both are empty
        assertThat(first).isEqualTo("for b");
        assertThat(second).isEqualTo("from the main script");
        assertThat(third).startsWith("Demo mode");
        assertThat(fake.pendingRoutedReplies()).isZero();
    }
}
