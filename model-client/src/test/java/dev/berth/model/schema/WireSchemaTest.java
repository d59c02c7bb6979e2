package dev.berth.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.EmbeddingRequest;
import dev.berth.model.FakeServerExtension;
import dev.berth.model.ModelClient;
import dev.berth.model.ResponseFormat;
import dev.berth.model.ResponseItem;
import dev.berth.model.ResponseRequest;
import dev.berth.model.ResponseResult;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolChoice;
import dev.berth.model.ToolDefinition;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import dev.berth.model.internal.sse.SseEvent;
import dev.berth.model.internal.sse.SseParser;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sends and what the fake answers validate against the published OpenAPI schemas. */
class WireSchemaTest {
    static final OpenApiSchemas schemas = OpenApiSchemas.load();
    static final FakeServerExtension env = new FakeServerExtension();
    static final ModelClient client = env.client(ModelClientConfig.single(
            Deployment.openAi("http://127.0.0.1:1/v1", null, null)).withModel("m",
            Deployment.openAi(env.fake.openAiBaseUrl(), "gpt-4o", "k")));
    static final WebClient http = WebClient.create(env.vertx);

    @AfterAll
    static void close() {
        http.close();
        client.close();
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private static void assertValid(String schema, JsonNode instance) {
        assertThat(schemas.validate(schema, instance)).as("%s: %s", schema, instance).isEmpty();
    }

    static ToolDefinition tool() {
        ObjectNode params = ModelJson.object().put("type", "object");
        params.putObject("properties").putObject("city").put("type", "string");
        params.putArray("required").add("city");
        params.put("additionalProperties", false);
        return new ToolDefinition("weather", "Weather forecast for a city", params, true);
    }

    private static ObjectNode schema() {
        ObjectNode s = ModelJson.object().put("type", "object");
        s.putObject("properties").putObject("answer").put("type", "string");
        return s;
    }

    @Test
    void chat_requests_the_client_sends_are_valid() {
        ChatRequest full = new ChatRequest("m", List.of(new ChatMessage.System("sys"), new ChatMessage.User("weather?"),
                new ChatMessage.Assistant(null, List.of(new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"))),
                new ChatMessage.Tool("c1", "{\"t\":3}"), ChatMessage.Assistant.text("It is 3 degrees.")),
                List.of(tool()), new ToolChoice.Function("weather"), true, 100, 0.5,
                new ResponseFormat("out", schema(), true));
        FakeServerExtension.await(client.chat(full));
        client.chatStream(ChatRequest.of("m", List.of(new ChatMessage.User("hi")), List.of(tool())))
                .collect().asList().await().atMost(Duration.ofSeconds(10));

        assertThat(env.fake.requests()).hasSize(2).allSatisfy(r -> assertValid("CreateChatCompletionRequest", r));
    }

    @Test
    void responses_and_embeddings_requests_the_client_sends_are_valid() {
        ResponseResult first = FakeServerExtension.await(client.respond(new ResponseRequest("m", "Be brief.",
                List.of(ResponseItem.Message.user("weather in Oslo?")), List.of(tool()), ToolChoice.AUTO, false, 200,
                new ResponseFormat("out", schema(), true), "low")));
        List<ResponseItem> replay = new ArrayList<>(List.of(ResponseItem.Message.user("weather in Oslo?")));
        replay.addAll(first.output());
        replay.add(new ResponseItem.FunctionCallOutput(first.functionCalls().getFirst().callId(), "{\"t\":3}"));
        FakeServerExtension.await(client.respond(ResponseRequest.of("m", null, replay, List.of(tool()))));
        FakeServerExtension.await(client.embed(new EmbeddingRequest("m", List.of("a", "b"), 8)));

        List<JsonNode> sent = env.fake.requests();
        assertValid("CreateResponse", sent.get(0));
        assertValid("CreateResponse", sent.get(1));
        assertThat(sent.get(1).get("input").get(1).get("type").asText()).isEqualTo("reasoning");
        assertValid("CreateEmbeddingRequest", sent.get(2));
    }

    private static String post(String path, String body) {
        return http.postAbs(env.fake.origin() + path).sendBuffer(Buffer.buffer(body)).await()
                .atMost(Duration.ofSeconds(10)).bodyAsString();
    }

    private static final String CHAT = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"what's the weather in Oslo"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Weather forecast",
             "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]%s}""";

    @Test
    void chat_completions_the_fake_returns_are_valid_on_both_routes() {
        for (String route : List.of("/v1/chat/completions", "/openai/v1/chat/completions")) {
            assertValid("CreateChatCompletionResponse", ModelJson.parse(post(route, CHAT.formatted(""))));
            env.fake.enqueue(FakeReply.text("plain text"));
            assertValid("CreateChatCompletionResponse", ModelJson.parse(post(route, CHAT.formatted(""))));
        }
    }

    @Test
    void stream_chunks_the_fake_returns_are_valid() {
        for (FakeReply reply : List.of(FakeReply.text("a streamed answer"), FakeReply.toolCall("weather", "{\"city\":\"Oslo\"}"))) {
            env.fake.enqueue(reply);
            String sse = post("/v1/chat/completions", CHAT.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
            List<SseEvent> events = new SseParser().feed(sse.getBytes(StandardCharsets.UTF_8));
            assertThat(events.getLast().data()).isEqualTo("[DONE]");
            events.subList(0, events.size() - 1).forEach(e ->
                    assertValid("CreateChatCompletionStreamResponse", ModelJson.parse(e.data())));
        }
    }

    @Test
    void responses_and_embeddings_the_fake_returns_are_valid() {
        String text = "{\"model\":\"gpt-4o\",\"store\":false,\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}]}";
        assertValid("Response", ModelJson.parse(post("/v1/responses", text)));
        String tools = "{\"model\":\"gpt-4o\",\"input\":\"weather in Oslo\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"weather\",\"description\":\"Weather\",\"strict\":true,\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}}]}";
        assertValid("Response", ModelJson.parse(post("/v1/responses", tools)));
        assertValid("CreateEmbeddingResponse", ModelJson.parse(post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"]}")));
    }

    @Test
    void responses_stream_events_the_fake_returns_are_valid() {
        String sse = post("/v1/responses", "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"hello there\"}");
        List<SseEvent> events = new SseParser().feed(sse.getBytes(StandardCharsets.UTF_8));
        assertThat(events.getLast().event()).isEqualTo("response.completed");
        events.forEach(e -> assertValid("ResponseStreamEvent", ModelJson.parse(e.data())));
    }
}
