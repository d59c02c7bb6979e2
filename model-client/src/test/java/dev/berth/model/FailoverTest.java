package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.RetryPolicy;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailoverTest {
    static final FakeServerExtension env = new FakeServerExtension();

    @AfterAll
    static void close() {
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private static ChatRequest hi(String model) {
        return ChatRequest.of(model, List.of(new ChatMessage.User("hi")), List.of());
    }

    @Test
    void throttled_deployment_fails_over_to_the_next_at_once() {
        // Given a model with two deployments, the first throttled
        Deployment primary = Deployment.azureV1(env.fake.baseUrl(), "primary", "k").withId("primary");
        Deployment secondary = Deployment.azureV1(env.fake.baseUrl(), "secondary", "k").withId("secondary")
                .withPriority(1);
        ModelClient client = env.client(ModelClientConfig.single(primary).withModel("m", secondary, primary));
        env.fake.enqueue(FakeReply.throttled(Duration.ofSeconds(30)), FakeReply.text("from secondary"));

        // When
        ChatResponse r = await(client.chat(hi("m")));

        // Then priority orders the deployments, and the second answered without waiting
        assertThat(r.content()).isEqualTo("from secondary");
        assertThat(r.call().deployment()).isEqualTo("secondary");
        assertThat(r.call().attempts()).isEqualTo(2);
        assertThat(env.fake.requests()).extracting(b -> b.get("model").asText()).containsExactly("primary", "secondary");
        assertThat(env.waits).containsExactly(Duration.ZERO);
        client.close();
    }

    @Test
    void single_deployment_retries_honouring_retry_after_ms() {
        ModelClient client = env.client(ModelClientConfig.single(env.azureV1("k")));
        env.fake.enqueue(FakeReply.error(429, "429", "slow").withHeader("retry-after-ms", "1500")
                .withHeader("Retry-After", "2"), FakeReply.error(503, "503", "down"),
                FakeReply.error(503, "503", "down").withHeader("Retry-After", "3"), FakeReply.text("ok"));

        ChatResponse r = await(client.chat(hi("m")));

        assertThat(r.content()).isEqualTo("ok");
        assertThat(r.call().attempts()).isEqualTo(4);
        assertThat(env.waits.get(0)).isEqualTo(Duration.ofMillis(1500));
        // the second wait is exponential backoff: 1 s with up to 25 % jitter
        assertThat(env.waits.get(1)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1000));
        // a 503's Retry-After is honoured too
        assertThat(env.waits.get(2)).isEqualTo(Duration.ofSeconds(3));
        client.close();
    }

    @Test
    void gives_up_after_max_retries_with_the_last_error() {
        ModelClient client = env.client(ModelClientConfig.single(env.azureV1("k")).withRetry(RetryPolicy.DEFAULTS
                .withMaxRetries(2)));
        env.fake.enqueue(FakeReply.error(500, "a", "1"), FakeReply.error(500, "b", "2"), FakeReply.error(502, "c", "3"),
                FakeReply.text("never"));

        Throwable t = catchThrowable(() -> await(client.chat(hi("m"))));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class);
        assertThat(((ModelException) t).status()).isEqualTo(502);
        assertThat(env.fake.pendingReplies()).isEqualTo(1);
        client.close();
    }

    @Test
    void non_retryable_errors_are_not_retried() {
        ModelClient client = env.client(ModelClientConfig.single(env.azureV1("k")));
        env.fake.enqueue(FakeReply.error(400, "context_length_exceeded", "too long"), FakeReply.text("never"));

        Throwable t = catchThrowable(() -> await(client.chat(hi("m"))));

        assertThat(t).isInstanceOf(ModelException.ContextLengthExceeded.class);
        assertThat(env.fake.requests()).hasSize(1);
        client.close();
    }
}
