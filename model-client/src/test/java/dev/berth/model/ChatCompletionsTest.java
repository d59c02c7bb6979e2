package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
    static final FakeServerExtension env = new FakeServerExtension();
    static final ModelClient client = env.noRetryClient(env.azureV1("k1"));

    @AfterAll
    static void close() {
        client.close();
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    static ToolDefinition timeTool() {
        ObjectNode params = ModelJson.object().put("type", "object");
        params.putObject("properties").putObject("zone").put("type", "string");
        params.putArray("required").add("zone");
        params.put("additionalProperties", false);
        return new ToolDefinition("current_time", "Current time in a time zone", params, true);
    }

    @Test
    void text_answer_is_parsed_with_usage_and_call_info() {
        // Given
        env.fake.enqueue(FakeReply.text("Hello there"));
        // When
        ChatResponse r = await(client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("hi")), List.of())));
        // Then
        assertThat(r.content()).isEqualTo("Hello there");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.id()).startsWith("chatcmpl-");
        assertThat(r.usage().inputTokens()).isPositive();
        assertThat(r.usage().outputTokens()).isEqualTo(3);
        assertThat(r.call().deployment()).isEqualTo("127.0.0.1/gpt-4o-dep");
        assertThat(r.call().attempts()).isEqualTo(1);
        assertThat(r.call().latency()).isPositive();
    }

    @Test
    void results_arrive_on_a_vertx_event_loop() {
        String thread = await(client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("hi")), List.of()))
                .map(r -> Thread.currentThread().getName()));

        assertThat(thread).startsWith("vert.x-eventloop");
    }

    @Test
    void request_carries_tools_choice_parallel_max_tokens_and_json_schema() {
        ObjectNode schema = ModelJson.object().put("type", "object");
        schema.putObject("properties").putObject("answer").put("type", "string");
        ChatRequest request = new ChatRequest("planner",
                List.of(new ChatMessage.System("be brief"), new ChatMessage.User("time?")), List.of(timeTool()),
                new ToolChoice.Function("current_time"), false, 256, 0.2,
                new ResponseFormat("answer", schema, true));

        await(client.chat(request));

        JsonNode sent = env.fake.requests().getFirst();
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-dep");
        assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(sent.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("current_time");
        assertThat(sent.at("/tools/0/function/strict").asBoolean()).isTrue();
        assertThat(sent.at("/tool_choice/function/name").asText()).isEqualTo("current_time");
        assertThat(sent.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(sent.has("max_tokens")).isFalse();
        assertThat(sent.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(sent.at("/response_format/json_schema/name").asText()).isEqualTo("answer");
        assertThat(sent.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(sent.at("/response_format/json_schema/schema/type").asText()).isEqualTo("object");
    }

    @Test
    void tool_call_round_trip_with_the_demo_brain() {
        // Given the user asks something a tool matches
        ChatMessage.User question = new ChatMessage.User("What time is it in Paris?");
        // When
        ChatResponse first = await(client.chat(ChatRequest.of("chat", List.of(question), List.of(timeTool()))));
        // Then the model calls the tool with the required argument filled in
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(first.content()).isNull();
        ToolCall call = first.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("current_time");
        assertThat(ModelJson.parse(call.arguments()).get("zone").asText()).isEqualTo("paris");

        // When the tool result is sent back
        ChatResponse second = await(client.chat(ChatRequest.of("chat", List.of(question,
                new ChatMessage.Assistant(null, first.toolCalls()),
                new ChatMessage.Tool(call.id(), "{\"time\":\"12:00\"}")), List.of(timeTool()))));

        // Then the answer summarises it, and the assistant turn went over the wire intact
        assertThat(second.content()).isEqualTo("The tool current_time returned: {\"time\":\"12:00\"}.");
        JsonNode sent = env.fake.requests().get(1);
        assertThat(sent.at("/messages/1/content").isNull()).isTrue();
        assertThat(sent.at("/messages/1/tool_calls/0/id").asText()).isEqualTo(call.id());
        assertThat(sent.at("/messages/2/role").asText()).isEqualTo("tool");
        assertThat(sent.at("/messages/2/tool_call_id").asText()).isEqualTo(call.id());
    }

    @Test
    void scripted_parallel_tool_calls_are_all_returned() {
        env.fake.enqueue(FakeReply.toolCalls(new ToolCall("c1", "a", "{\"x\":1}"), new ToolCall("c2", "b", "{}")));

        ChatResponse r = await(client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("go")), List.of())));

        assertThat(r.toolCalls()).containsExactly(new ToolCall("c1", "a", "{\"x\":1}"), new ToolCall("c2", "b", "{}"));
    }

    @Test
    void cached_and_reasoning_tokens_are_read() {
        env.fake.enqueue(FakeReply.raw(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                "message":{"role":"assistant","content":"ok","refusal":null},"finish_reason":"length","logprobs":null}],
                "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
                "prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":20}}}"""));

        ChatResponse r = await(client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("x")), List.of())));

        assertThat(r.usage()).isEqualTo(new Usage(100, 50, 64, 20));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void content_filter_finish_reason_on_200_is_reported() {
        env.fake.enqueue(new FakeReply.Text("partial", "content_filter", null));

        ChatResponse r = await(client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("x")), List.of())));

        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    }
}
