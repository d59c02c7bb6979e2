package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.config.Deployment;
import dev.berth.model.config.StreamUsagePolicy;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed call records non-zero usage on every flavour and api-version: reported by the provider where the
 * route accepts {@code stream_options.include_usage}, counted locally and marked estimated where it does not.
 */
class UsageEveryFlavourTest {
    static final FakeServerExtension env = new FakeServerExtension();
    static final String ANSWER = "Hello brave new world";

    @AfterAll
    static void close() {
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private static Usage streamed(Deployment deployment) {
        env.fake.enqueue(FakeReply.text(ANSWER));
        try (ModelClient client = env.noRetryClient(deployment)) {
            List<ChatStreamEvent> events = client.chatStream(ChatRequest.of("gpt-4o",
                    List.of(new ChatMessage.System("You are terse."), new ChatMessage.User("Say hello to the world")),
                    List.of())).collect().asList().await().atMost(Duration.ofSeconds(10));
            return ((ChatStreamEvent.Completed) events.getLast()).response().usage();
        }
    }

    private static boolean asked() {
        return env.fake.requests().getLast().path("stream_options").path("include_usage").asBoolean(false);
    }

    @Test
    void openai_route_asks_and_reports() {
        Usage usage = streamed(Deployment.openAi(env.fake.openAiBaseUrl(), null, "k"));

        assertThat(asked()).isTrue();
        assertThat(usage.estimated()).isFalse();
        assertThat(usage.inputTokens()).isPositive();
        assertThat(usage.outputTokens()).isPositive();
    }

    @Test
    void azure_v1_route_asks_and_reports() {
        Usage usage = streamed(env.azureV1("k"));

        assertThat(asked()).isTrue();
        assertThat(usage.estimated()).isFalse();
        assertThat(usage.totalTokens()).isPositive();
    }

    @Test
    void azure_classic_2024_10_21_counts_locally_and_marks_the_usage_estimated() {
        Usage usage = streamed(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-10-21", "k"));

        assertThat(asked()).isFalse();
        assertThat(usage.estimated()).isTrue();
        // o200k_base: "Hello brave new world" is 4 tokens; the prompt is two framed messages plus the priming
        assertThat(usage.outputTokens()).isEqualTo(4);
        assertThat(usage.inputTokens()).isEqualTo(3 + 4 + UsageEstimator.encoding(UsageEstimator.encodingFor("gpt-4o"))
                .countTokensOrdinary("You are terse.") + 4 + UsageEstimator.encoding(UsageEstimator.encodingFor("gpt-4o"))
                .countTokensOrdinary("Say hello to the world"));
    }

    @Test
    void azure_classic_versions_with_stream_options_ask_and_report() {
        for (String version : List.of("2024-08-01-preview", "2025-04-01-preview")) {
            Usage usage = streamed(Deployment.azureClassic(env.fake.origin(), "gpt-4o", version, "k"));

            assertThat(asked()).as(version).isTrue();
            assertThat(usage.estimated()).as(version).isFalse();
            assertThat(usage.totalTokens()).as(version).isPositive();
        }
        streamed(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-06-01", "k"));
        assertThat(asked()).as("2024-06-01 GA has no stream_options").isFalse();
        streamed(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-07-01-preview", "k"));
        assertThat(asked()).as("previews before 2024-08-01 have none").isFalse();
    }

    @Test
    void the_policy_is_configurable_per_deployment() {
        Usage asked = streamed(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-10-21", "k")
                .withStreamUsage(StreamUsagePolicy.ASK));
        assertThat(asked()).isTrue();
        assertThat(asked.estimated()).isFalse();

        Usage counted = streamed(env.azureV1("k").withStreamUsage(StreamUsagePolicy.ESTIMATE));
        assertThat(asked()).isFalse();
        assertThat(counted.estimated()).isTrue();
        assertThat(counted.outputTokens()).isEqualTo(4);
    }

    @Test
    void the_estimated_answer_still_arrives_on_an_event_loop() {
        env.fake.enqueue(FakeReply.text(ANSWER));
        java.util.concurrent.atomic.AtomicReference<String> thread = new java.util.concurrent.atomic.AtomicReference<>();
        try (ModelClient client = env.noRetryClient(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-10-21", "k"))) {
            ChatStreamEvent last = client.chatStream(ChatRequest.of("gpt-4o", List.of(new ChatMessage.User("hi")), List.of()))
                    .invoke(e -> thread.set(Thread.currentThread().getName())).collect().last()
                    .await().atMost(Duration.ofSeconds(10));

            assertThat(((ChatStreamEvent.Completed) last).response().usage().estimated()).isTrue();
            // counted on a worker, delivered back on the stream's event loop (model-client's threading promise)
            assertThat(thread.get()).startsWith("vert.x-eventloop");
        }
    }

    @Test
    void tool_calls_are_counted_as_output_when_estimated() {
        env.fake.enqueue(FakeReply.toolCalls(new ToolCall("call_1", "lookup", "{\"city\":\"Oslo\"}")));
        try (ModelClient client = env.noRetryClient(Deployment.azureClassic(env.fake.origin(), "gpt-4o", "2024-10-21", "k"))) {
            List<ChatStreamEvent> events = client.chatStream(ChatRequest.of("gpt-4o",
                    List.of(new ChatMessage.User("weather in Oslo")), List.of())).collect().asList()
                    .await().atMost(Duration.ofSeconds(10));
            Usage usage = ((ChatStreamEvent.Completed) events.getLast()).response().usage();

            assertThat(usage.estimated()).isTrue();
            assertThat(usage.outputTokens()).isGreaterThan(3);
        }
    }
}
