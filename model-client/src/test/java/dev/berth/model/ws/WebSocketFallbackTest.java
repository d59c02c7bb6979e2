package dev.berth.model.ws;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.FakeServerExtension;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import dev.berth.model.internal.HttpModelClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket mode when the socket cannot be had or breaks: HTTP, or a new socket with the whole context. */
class WebSocketFallbackTest {
    static final FakeServerExtension env = new FakeServerExtension();
    static final ModelClient ws = env.client(ModelClientConfig.single(
            env.azureV1("k").withTransport(Deployment.Transport.WEBSOCKET)));

    @AfterAll
    static void close() {
        ws.close();
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
        env.fake.webSockets(true);
    }

    static List<String> methods() {
        return env.fake.recordedRequests().stream().map(RecordedRequest::method).toList();
    }

    static List<JsonNode> socketMessages() {
        return env.fake.recordedRequests().stream().filter(r -> r.method().equals("WEBSOCKET"))
                .map(RecordedRequest::body).toList();
    }

    @Test
    void a_refused_upgrade_falls_back_to_http_and_is_remembered_for_a_minute() {
        env.fake.webSockets(false);
        script(5);
        WebSocketModeTest.Rollout overHttp = WebSocketModeTest.chatRollout(ws.forRun("refused"), false);

        assertThat(overHttp.calls()).hasSize(5);
        assertThat(overHttp.answer()).isEqualTo("counted to 25");
        assertThat(methods()).hasSize(6).containsOnly("POST");
        assertThat(env.waits).isEmpty();   // no retry, no backoff: the same attempt went over HTTP

        // a minute later, with WebSocket mode available again, the run's next call opens a socket
        env.fake.webSockets(true);
        env.nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        env.fake.enqueue(FakeReply.text("again"));
        await(ws.forRun("refused").chat(ChatRequest.of("planner", List.of(new ChatMessage.User("hi")), List.of())));
        assertThat(methods().getLast()).isEqualTo("WEBSOCKET");
        ws.endRun("refused");
    }

    @Test
    void a_socket_dropped_mid_run_is_replaced_and_the_whole_context_sent_without_repeating_a_step() {
        for (int i = 1; i <= 10; i++) {
            if (i == 6) {
                env.fake.enqueue(FakeReply.drop());   // the provider drops the socket instead of answering
            }
            env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_" + i, "lookup", "{\"n\":" + i + "}")));
        }
        env.fake.enqueue(FakeReply.text("counted to 25"));

        WebSocketModeTest.Rollout rollout = WebSocketModeTest.chatRollout(ws.forRun("dropped"), false);

        assertThat(rollout.calls()).hasSize(10).doesNotHaveDuplicates();
        List<JsonNode> sent = socketMessages();
        assertThat(sent).hasSize(12);   // 11 answers and the one the drop swallowed
        // the swallowed message (6th) and its retry on a new socket: the retry has no chain and all 12 items
        assertThat(sent.get(5).has("previous_response_id")).isTrue();
        assertThat(sent.get(6).has("previous_response_id")).isFalse();
        assertThat(sent.get(6).get("input")).hasSize(1 + 2 * 5);
        assertThat(sent.get(7).get("input")).hasSize(1);
        assertThat(env.waits).hasSize(1);   // one retry of the attempt
        env.fake.assertScriptConsumed();
        ws.endRun("dropped");
    }

    @Test
    void sockets_closed_by_the_provider_between_steps_are_reopened_without_a_retry() {
        ModelClient run = ws.forRun("closed");
        script(2);
        List<ChatMessage> messages = new java.util.ArrayList<>(List.of(new ChatMessage.User("count")));
        var first = await(run.chat(ChatRequest.of("planner", messages, List.of(WebSocketModeTest.lookup()))));
        env.fake.dropSockets();   // e.g. the 60-minute limit of a connection
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ((HttpModelClient) ws).openSockets() == 0);
        messages.add(new ChatMessage.Assistant(null, first.toolCalls()));
        messages.add(new ChatMessage.Tool(first.toolCalls().getFirst().id(), "1"));
        var second = await(run.chat(ChatRequest.of("planner", messages, List.of(WebSocketModeTest.lookup()))));

        assertThat(second.toolCalls().getFirst().id()).isEqualTo("call_2");
        assertThat(socketMessages().get(1).has("previous_response_id")).isFalse();
        assertThat(socketMessages().get(1).get("input")).hasSize(3);
        assertThat(env.waits).isEmpty();
        ws.endRun("closed");
    }

    @Test
    void a_refused_key_on_the_upgrade_is_an_authentication_error_not_a_fallback() {
        try (FakeServerExtension keyed = new FakeServerExtension(FakeOptions.defaults().withRandomApiKey());
                ModelClient client = keyed.client(ModelClientConfig.single(keyed.azureV1("k")
                        .withAuth(new Auth.ApiKey("wrong")).withTransport(Deployment.Transport.WEBSOCKET)))) {
            assertThatThrownBy(() -> await(client.forRun("r").chat(ChatRequest.of("planner",
                    List.of(new ChatMessage.User("hi")), List.of()))))
                    .isInstanceOf(ModelException.Authentication.class);
            assertThat(keyed.fake.recordedRequests()).isEmpty();
        }
    }

    static void script(int calls) {
        for (int i = 1; i <= calls; i++) {
            env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_" + i, "lookup", "{\"n\":" + i + "}")));
        }
        env.fake.enqueue(FakeReply.text("counted to 25"));
    }
}
