package dev.berth.model.ws;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.FakeServerExtension;
import dev.berth.model.ModelClient;
import dev.berth.model.ResponseItem;
import dev.berth.model.ResponseRequest;
import dev.berth.model.ResponseResult;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolDefinition;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import dev.berth.model.internal.ModelJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Responses API's WebSocket mode: one socket per run, each step sending only its new items. */
class WebSocketModeTest {
    static final int TOOL_CALLS = 25;
    static final FakeServerExtension env = new FakeServerExtension();
    static final ModelClient http = env.client(ModelClientConfig.single(env.azureV1("k")));
    static final ModelClient ws = env.client(ModelClientConfig.single(
            env.azureV1("k").withTransport(Deployment.Transport.WEBSOCKET)));

    @AfterAll
    static void close() {
        http.close();
        ws.close();
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    static ToolDefinition lookup() {
        ObjectNode params = ModelJson.object().put("type", "object");
        params.putObject("properties").putObject("n").put("type", "integer");
        return new ToolDefinition("lookup", "Looks a number up", params, false);
    }

    /** What the engine does: the whole conversation each step, tool results appended, until a text answer. */
    static Rollout chatRollout(ModelClient client, boolean stream) {
        List<ChatMessage> messages = new ArrayList<>(List.of(new ChatMessage.System("You count."),
                new ChatMessage.User("count to 25 with the tool")));
        List<String> calls = new ArrayList<>();
        for (int step = 0; step < 100; step++) {
            ChatRequest request = ChatRequest.of("planner", messages, List.of(lookup()));
            ChatResponse answer = stream
                    ? await(client.chatStream(request).filter(ChatStreamEvent.Completed.class::isInstance)
                            .map(e -> ((ChatStreamEvent.Completed) e).response()).toUni())
                    : await(client.chat(request));
            if (answer.toolCalls().isEmpty()) {
                return new Rollout(answer.content(), calls);
            }
            messages.add(new ChatMessage.Assistant(answer.content(), answer.toolCalls()));
            for (ToolCall call : answer.toolCalls()) {
                calls.add(call.id() + ":" + call.arguments());
                messages.add(new ChatMessage.Tool(call.id(), "value of " + call.arguments()));
            }
        }
        throw new AssertionError("the rollout did not end");
    }

    record Rollout(String answer, List<String> calls) {
    }

    static void script() {
        for (int i = 1; i <= TOOL_CALLS; i++) {
            env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_" + i, "lookup", "{\"n\":" + i + "}")));
        }
        env.fake.enqueue(FakeReply.text("counted to 25"));
    }

    static List<JsonNode> socketMessages() {
        return env.fake.recordedRequests().stream().filter(r -> r.method().equals("WEBSOCKET"))
                .map(RecordedRequest::body).toList();
    }

    @Test
    void a_run_of_25_tool_calls_gives_the_same_result_over_websocket_as_over_http() {
        script();
        Rollout overHttp = chatRollout(http, false);
        assertThat(env.fake.recordedRequests()).hasSize(TOOL_CALLS + 1)
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
        env.reset();

        script();
        ModelClient run = ws.forRun("run-1");
        Rollout overSocket = chatRollout(run, false);

        assertThat(overSocket).isEqualTo(overHttp);
        assertThat(overSocket.calls()).hasSize(TOOL_CALLS);
        List<JsonNode> sent = socketMessages();
        assertThat(env.fake.recordedRequests()).hasSize(TOOL_CALLS + 1);
        assertThat(sent).hasSize(TOOL_CALLS + 1);
        // the first message carries the whole context, every later one only the tool's output and the chain
        assertThat(sent.getFirst().has("previous_response_id")).isFalse();
        assertThat(sent.getFirst().get("instructions").asText()).isEqualTo("You count.");
        assertThat(sent.getFirst().get("store").asBoolean(true)).isFalse();
        for (JsonNode later : sent.subList(1, sent.size())) {
            assertThat(later.get("previous_response_id").asText()).startsWith("resp_");
            assertThat(later.get("input")).hasSize(1);
            assertThat(later.at("/input/0/type").asText()).isEqualTo("function_call_output");
        }
        assertThat(env.fake.openSockets()).isEqualTo(1);

        ws.endRun("run-1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> env.fake.openSockets() == 0);
        env.fake.assertScriptConsumed();
    }

    @Test
    void streamed_steps_chain_the_same_way() {
        script();
        Rollout overSocket = chatRollout(ws.forRun("run-2"), true);

        assertThat(overSocket.answer()).isEqualTo("counted to 25");
        assertThat(overSocket.calls()).hasSize(TOOL_CALLS).first().isEqualTo("call_1:{\"n\":1}");
        assertThat(socketMessages().subList(1, TOOL_CALLS + 1))
                .allSatisfy(m -> assertThat(m.get("input")).hasSize(1));
        ws.endRun("run-2");
    }

    @Test
    void a_native_responses_run_replaying_reasoning_items_also_sends_only_new_items() {
        ModelClient run = ws.forRun("run-3");
        env.fake.enqueue(FakeReply.toolCalls(new ToolCall("c1", "lookup", "{\"n\":1}")), FakeReply.text("done"));
        List<ResponseItem> input = new ArrayList<>(List.of(ResponseItem.Message.user("count")));

        ResponseResult first = await(run.respond(ResponseRequest.of("planner", "Count.", input, List.of(lookup()))));
        input.addAll(first.output());   // reasoning + function call, replayed as the stateless API wants
        input.add(new ResponseItem.FunctionCallOutput("c1", "1"));
        ResponseResult second = await(run.respond(ResponseRequest.of("planner", "Count.", input, List.of(lookup()))));

        assertThat(second.outputText()).isEqualTo("done");
        JsonNode chained = socketMessages().get(1);
        assertThat(chained.get("previous_response_id").asText()).isEqualTo(first.id());
        assertThat(chained.get("input")).hasSize(1);
        ws.endRun("run-3");
    }

    @Test
    void a_context_that_is_not_an_extension_of_the_sockets_is_sent_whole_without_the_chain() {
        ModelClient run = ws.forRun("run-4");
        env.fake.enqueue(FakeReply.text("one"), FakeReply.text("two"));
        await(run.chat(ChatRequest.of("planner", List.of(new ChatMessage.User("first")), List.of())));
        // compaction replaced the history: nothing of the socket's conversation is a prefix any more
        ChatResponse second = await(run.chat(ChatRequest.of("planner",
                List.of(new ChatMessage.User("summary of before"), new ChatMessage.User("next")), List.of())));

        assertThat(second.content()).isEqualTo("two");
        JsonNode rewritten = socketMessages().get(1);
        assertThat(rewritten.has("previous_response_id")).isFalse();
        assertThat(rewritten.get("input")).hasSize(2);
        ws.endRun("run-4");
    }

    @Test
    void calls_outside_a_run_use_http_even_on_a_websocket_deployment() {
        env.fake.enqueue(FakeReply.text("plain"));
        assertThat(await(ws.chat(ChatRequest.of("planner", List.of(new ChatMessage.User("hi")), List.of()))).content())
                .isEqualTo("plain");
        assertThat(env.fake.recordedRequests().getFirst().method()).isEqualTo("POST");
        assertThat(env.fake.recordedRequests().getFirst().path()).endsWith("/chat/completions");
    }
}
