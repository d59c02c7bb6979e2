package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
    static final FakeServerExtension env = new FakeServerExtension(FakeOptions.defaults());
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

    private static List<ChatStreamEvent> collect(ModelClient c, ChatRequest request) {
        return c.chatStream(request).collect().asList().await().atMost(Duration.ofSeconds(10));
    }

    private static ChatRequest hi() {
        return ChatRequest.of("chat", List.of(new ChatMessage.User("hi")), List.of());
    }

    @Test
    void azure_stream_yields_text_deltas_then_the_assembled_answer_with_usage() {
        env.fake.enqueue(FakeReply.text("Hello brave new world"));

        List<ChatStreamEvent> events = collect(client, hi());

        assertThat(events.subList(0, events.size() - 1)).extracting(e -> ((ChatStreamEvent.TextDelta) e).text())
                .containsExactly("Hello", " brave", " new", " world");
        ChatResponse done = ((ChatStreamEvent.Completed) events.getLast()).response();
        assertThat(done.content()).isEqualTo("Hello brave new world");
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.id()).startsWith("chatcmpl-");
        assertThat(done.usage().outputTokens()).isPositive();
        assertThat(done.call().attempts()).isEqualTo(1);
        // the client asked for usage on the stream
        assertThat(env.fake.requests().getFirst().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(env.fake.requests().getFirst().get("stream").asBoolean()).isTrue();
    }

    @Test
    void tool_call_fragments_are_concatenated_by_index() {
        env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_a", "lookup", "{\"city\":\"Oslo\",\"days\":3}"),
                new ToolCall("call_b", "send_mail", "{\"to\":\"x@example.org\"}")));

        List<ChatStreamEvent> events = collect(client, hi());

        assertThat(events).filteredOn(ChatStreamEvent.ToolCallDelta.class::isInstance).hasSizeGreaterThan(4);
        ChatResponse done = ((ChatStreamEvent.Completed) events.getLast()).response();
        assertThat(done.toolCalls()).containsExactly(
                new ToolCall("call_a", "lookup", "{\"city\":\"Oslo\",\"days\":3}"),
                new ToolCall("call_b", "send_mail", "{\"to\":\"x@example.org\"}"));
        assertThat(done.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(done.content()).isNull();
    }

    @Test
    void classic_2024_10_21_streams_without_stream_options() {
        try (ModelClient classic = env.noRetryClient(Deployment.azureClassic(env.fake.origin(), "d", "2024-10-21", "k"))) {
            ChatResponse done = ((ChatStreamEvent.Completed) collect(classic, hi()).getLast()).response();

            assertThat(done.content()).contains("you said \"hi\"");
            assertThat(env.fake.requests().getFirst().has("stream_options")).isFalse();
        }
    }

    @Test
    void a_stream_failing_before_its_first_token_is_retried() {
        // the Azure prompt-filter chunk and the role chunk arrive, then the connection drops
        env.fake.enqueue(FakeReply.dropMidStream(FakeReply.text("lost"), 2), FakeReply.text("second try"));

        List<ChatStreamEvent> events = collect(client, hi());

        assertThat(((ChatStreamEvent.Completed) events.getLast()).response().content()).isEqualTo("second try");
        assertThat(((ChatStreamEvent.Completed) events.getLast()).response().call().attempts()).isEqualTo(2);
        assertThat(env.fake.requests()).hasSize(2);
    }

    @Test
    void a_stream_failing_midway_surfaces_a_typed_error_after_the_deltas() {
        env.fake.enqueue(FakeReply.dropMidStream(FakeReply.text("one two three four"), 4), FakeReply.text("never"));
        List<ChatStreamEvent> seen = new ArrayList<>();

        Throwable t = catchThrowable(() -> client.chatStream(hi()).onItem().invoke(seen::add)
                .collect().asList().await().atMost(Duration.ofSeconds(10)));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class);
        assertThat(seen).isNotEmpty().allMatch(ChatStreamEvent.TextDelta.class::isInstance);
        assertThat(env.fake.requests()).hasSize(1);
    }

    @Test
    void malformed_chunk_before_first_token_is_retried() {
        env.fake.enqueue(new FakeReply.MalformedChunk(FakeReply.text("x y"), 1, null), FakeReply.text("clean"));

        List<ChatStreamEvent> events = collect(client, hi());

        assertThat(((ChatStreamEvent.Completed) events.getLast()).response().content()).isEqualTo("clean");
    }

    @Test
    void error_status_on_a_stream_is_mapped_and_retried() {
        env.fake.enqueue(FakeReply.throttled(Duration.ofMillis(200)), FakeReply.text("after throttle"));

        List<ChatStreamEvent> events = collect(client, hi());

        assertThat(((ChatStreamEvent.Completed) events.getLast()).response().content()).isEqualTo("after throttle");
        assertThat(env.waits).containsExactly(Duration.ofMillis(200));
    }

    @Test
    void a_stream_longer_than_the_total_timeout_fails_and_a_cancelled_stream_frees_its_connection() {
        try (FakeServerExtension slow = new FakeServerExtension(FakeOptions.defaults().withChunkDelay(Duration.ofMillis(100)));
                ModelClient c = slow.client(ModelClientConfig.single(slow.azureV1("k"))
                        .withRetry(dev.berth.model.config.RetryPolicy.NONE).withMaxConnectionsPerHost(1)
                        .withTimeouts(new dev.berth.model.config.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
                                Duration.ofMillis(1500))))) {
            slow.fake.enqueue(FakeReply.text(String.join(" ", java.util.Collections.nCopies(30, "word"))));
            Throwable t = catchThrowable(() -> collect(c, hi()));
            assertThat(t).isInstanceOf(ModelException.Unavailable.class).hasMessageContaining("total timeout");

            // a consumer that stops after two deltas
            slow.fake.enqueue(FakeReply.text("alpha beta gamma delta epsilon zeta eta theta"));
            List<ChatStreamEvent> firstTwo = c.chatStream(hi()).select().first(2).collect().asList()
                    .await().atMost(Duration.ofSeconds(5));
            assertThat(firstTwo).hasSize(2);

            // the only pooled connection was released: the next call goes through
            slow.fake.enqueue(FakeReply.text("ok"));
            assertThat(((ChatStreamEvent.Completed) collect(c, hi()).getLast()).response().content()).isEqualTo("ok");
        }
    }

    @Test
    void content_filter_on_a_stream_is_not_retried() {
        env.fake.enqueue(FakeReply.raw(400, "{\"error\":{\"code\":\"content_filter\",\"message\":\"filtered\","
                + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":"
                + "{\"self_harm\":{\"filtered\":true,\"severity\":\"high\"}}}}}"));

        Throwable t = catchThrowable(() -> collect(client, hi()));

        assertThat(t).isInstanceOf(ModelException.ContentFiltered.class);
        assertThat(((ModelException.ContentFiltered) t).categories()).containsExactly("self_harm");
    }
}
