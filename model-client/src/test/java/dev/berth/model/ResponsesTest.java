package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    static final FakeServerExtension env = new FakeServerExtension();
    static final ModelClient client = env.client(ModelClientConfig.single(env.azureV1("k")));

    @AfterAll
    static void close() {
        client.close();
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    static ToolDefinition weather() {
        ObjectNode params = ModelJson.object().put("type", "object");
        params.putObject("properties").putObject("city").put("type", "string");
        params.putArray("required").add("city");
        return new ToolDefinition("weather", "Weather forecast for a city", params, true);
    }

    @Test
    void stateless_request_shape() {
        ObjectNode schema = ModelJson.object().put("type", "object");
        ResponseRequest request = new ResponseRequest("m", "Be brief.", List.of(ResponseItem.Message.user("hello")),
                List.of(weather()), ToolChoice.AUTO, true, 300, new ResponseFormat("out", schema, true), "low");

        await(client.respond(request));

        JsonNode sent = env.fake.requests().getFirst();
        assertThat(env.fake.recordedRequests().getFirst().path()).isEqualTo("/openai/v1/responses");
        assertThat(sent.get("store").asBoolean(true)).isFalse();
        assertThat(sent.get("include").get(0).asText()).isEqualTo("reasoning.encrypted_content");
        assertThat(sent.get("instructions").asText()).isEqualTo("Be brief.");
        assertThat(sent.at("/input/0/type").asText()).isEqualTo("message");
        assertThat(sent.at("/tools/0/name").asText()).isEqualTo("weather");
        assertThat(sent.at("/tools/0/function").isMissingNode()).isTrue();
        assertThat(sent.at("/text/format/type").asText()).isEqualTo("json_schema");
        assertThat(sent.get("max_output_tokens").asInt()).isEqualTo(300);
        assertThat(sent.at("/reasoning/effort").asText()).isEqualTo("low");
        assertThat(sent.has("previous_response_id")).isFalse();
    }

    @Test
    void function_call_round_trip_replays_output_items_including_reasoning() {
        // When the user asks for the weather
        List<ResponseItem> conversation = new ArrayList<>(List.of(ResponseItem.Message.user("weather in Oslo?")));
        ResponseResult first = await(client.respond(ResponseRequest.of("m", null, conversation, List.of(weather()))));

        // Then the model calls the tool, after an encrypted reasoning item
        assertThat(first.functionCalls()).singleElement().satisfies(fc -> {
            assertThat(fc.name()).isEqualTo("weather");
            assertThat(ModelJson.parse(fc.arguments()).get("city").asText()).isEqualTo("oslo");
        });
        assertThat(first.output().getFirst()).isInstanceOfSatisfying(ResponseItem.Reasoning.class,
                r -> assertThat(r.encryptedContent()).isNotBlank());
        assertThat(first.usage().reasoningTokens()).isPositive();

        // When the output is replayed with the tool result
        conversation.addAll(first.output());
        conversation.add(new ResponseItem.FunctionCallOutput(first.functionCalls().getFirst().callId(), "{\"temp\":3}"));
        ResponseResult second = await(client.respond(ResponseRequest.of("m", null, conversation, List.of(weather()))));

        // Then the reasoning went back verbatim and the answer summarises the tool output
        JsonNode replay = env.fake.requests().get(1).get("input");
        assertThat(replay.get(1).get("type").asText()).isEqualTo("reasoning");
        assertThat(replay.get(1).get("encrypted_content").asText())
                .isEqualTo(((ResponseItem.Reasoning) first.output().getFirst()).encryptedContent());
        assertThat(replay.get(2).get("type").asText()).isEqualTo("function_call");
        assertThat(replay.get(3).get("type").asText()).isEqualTo("function_call_output");
        assertThat(second.outputText()).isEqualTo("The tool weather returned: {\"temp\":3}.");
        assertThat(second.status()).isEqualTo("completed");
    }

    @Test
    void streaming_yields_deltas_and_the_final_response() {
        env.fake.enqueue(FakeReply.text("streamed reply here"));

        List<ResponseStreamEvent> events = client.respondStream(ResponseRequest.of("m", null,
                List.of(ResponseItem.Message.user("x")), List.of())).collect().asList().await()
                .atMost(Duration.ofSeconds(10));

        assertThat(events).filteredOn(ResponseStreamEvent.TextDelta.class::isInstance)
                .extracting(e -> ((ResponseStreamEvent.TextDelta) e).text()).containsExactly("streamed", " reply", " here");
        ResponseResult done = ((ResponseStreamEvent.Completed) events.getLast()).result();
        assertThat(done.outputText()).isEqualTo("streamed reply here");
        assertThat(done.usage().inputTokens()).isPositive();
    }

    @Test
    void streaming_function_call_arguments_arrive_as_deltas() {
        env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_1", "weather", "{\"city\":\"Bergen\"}")));

        List<ResponseStreamEvent> events = client.respondStream(ResponseRequest.of("m", null,
                List.of(ResponseItem.Message.user("x")), List.of(weather()))).collect().asList().await()
                .atMost(Duration.ofSeconds(10));

        String joined = events.stream().filter(ResponseStreamEvent.FunctionCallArgumentsDelta.class::isInstance)
                .map(e -> ((ResponseStreamEvent.FunctionCallArgumentsDelta) e).delta()).reduce("", String::concat);
        assertThat(joined).isEqualTo("{\"city\":\"Bergen\"}");
        assertThat(events).filteredOn(ResponseStreamEvent.FunctionCallStarted.class::isInstance).singleElement()
                .satisfies(e -> {
                    var started = (ResponseStreamEvent.FunctionCallStarted) e;
                    assertThat(started.callId()).isEqualTo("call_1");
                    assertThat(started.name()).isEqualTo("weather");
                });
        assertThat(((ResponseStreamEvent.Completed) events.getLast()).result().functionCalls().getFirst().callId())
                .isEqualTo("call_1");
    }

    @Test
    void streaming_failed_event_surfaces_typed_error() {
        env.fake.enqueue(FakeReply.raw(200, "{}"));
        // a raw 200 non-stream body on a stream request: no terminal event, so the stream is incomplete
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> env.noRetryClient(env.azureV1("k"))
                .respondStream(ResponseRequest.of("m", null, List.of(ResponseItem.Message.user("x")), List.of()))
                .collect().asList().await().atMost(Duration.ofSeconds(10)));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class);
    }

    @Test
    void a_response_failed_event_surfaces_the_provider_error() {
        env.fake.enqueue(new FakeReply.Raw(200, "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n"
                + "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":"
                + "{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The model had a hiccup\"}}}\n\n",
                java.util.Map.of("content-type", "text/event-stream"), null));

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> env.noRetryClient(env.azureV1("k"))
                .respondStream(ResponseRequest.of("m", null, List.of(ResponseItem.Message.user("x")), List.of()))
                .collect().asList().await().atMost(Duration.ofSeconds(10)));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class).hasMessageContaining("The model had a hiccup");
    }

    @Test
    void an_incomplete_response_reports_why() {
        env.fake.enqueue(FakeReply.raw(200, """
                {"id":"resp_1","object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},
                 "output":[{"type":"message","id":"msg_1","role":"assistant","status":"incomplete",
                 "content":[{"type":"output_text","text":"Partial","annotations":[]}]}],
                 "usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":2},"output_tokens":1,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":6}}"""));

        ResponseResult r = await(client.respond(ResponseRequest.of("m", null, List.of(ResponseItem.Message.user("x")), List.of())));

        assertThat(r.status()).isEqualTo("incomplete");
        assertThat(r.incompleteReason()).isEqualTo("max_output_tokens");
        assertThat(r.outputText()).isEqualTo("Partial");
        assertThat(r.usage()).isEqualTo(new Usage(5, 1, 2, 0));
    }

    @Test
    void classic_flavour_uses_the_responses_route_with_api_version() {
        try (ModelClient c = env.noRetryClient(Deployment.azureClassic(env.fake.origin(), "dep", "2025-04-01-preview", "k"))) {
            await(c.respond(ResponseRequest.of("m", null, List.of(ResponseItem.Message.user("x")), List.of())));
        }
        assertThat(env.fake.recordedRequests().getFirst().path()).isEqualTo("/openai/responses");
        assertThat(env.fake.requests().getFirst().get("model").asText()).isEqualTo("dep");
    }
}
