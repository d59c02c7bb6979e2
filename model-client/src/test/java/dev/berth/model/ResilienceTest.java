package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.config.CircuitBreakerPolicy;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.DeploymentLimits;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.RetryPolicy;
import dev.berth.model.config.Timeouts;
import dev.berth.model.fake.FakeReply;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {
    static final FakeServerExtension env = new FakeServerExtension();

    @AfterAll
    static void close() {
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private static ChatRequest hi() {
        return ChatRequest.of("m", List.of(new ChatMessage.User("hi")), List.of());
    }

    private Deployment dep(String id) {
        return Deployment.azureV1(env.fake.baseUrl(), id, "k").withId(id);
    }

    @Test
    void circuit_breaker_opens_on_a_failing_deployment_and_calls_go_to_the_next() {
        // Given a primary that fails four times in a row (breaker: 4 calls, 50 %)
        ModelClient client = env.client(ModelClientConfig.single(dep("primary"))
                .withModel("m", dep("primary"), dep("backup").withPriority(1))
                .withRetry(RetryPolicy.NONE)
                .withCircuitBreaker(new CircuitBreakerPolicy(4, 0.5, Duration.ofMinutes(5))));
        for (int i = 0; i < 4; i++) {
            env.fake.enqueue(FakeReply.error(503, "503", "down"));
            catchThrowable(() -> await(client.chat(hi())));
        }
        env.reset();

        // When the next calls are made with retries enabled by failover
        ModelClient sameGuards = client;
        Throwable t = catchThrowable(() -> await(sameGuards.chat(hi())));

        // Then the open breaker refuses without sending anything to primary
        assertThat(t).isInstanceOf(ModelException.Unavailable.class).hasMessageContaining("circuit breaker");
        assertThat(env.fake.requests()).isEmpty();
        client.close();
    }

    @Test
    void open_breaker_lets_a_probe_through_after_its_delay() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p")).withRetry(RetryPolicy.NONE)
                .withCircuitBreaker(new CircuitBreakerPolicy(2, 0.5, Duration.ofMillis(200))));
        env.fake.enqueue(FakeReply.error(500, "x", "x"), FakeReply.error(500, "x", "x"));
        catchThrowable(() -> await(client.chat(hi())));
        catchThrowable(() -> await(client.chat(hi())));
        assertThat(catchThrowable(() -> await(client.chat(hi())))).hasMessageContaining("circuit breaker");

        // the breaker's own timer (SmallRye's) half-opens it; the next call is a probe that closes it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(() -> assertThat(await(client.chat(hi())).content()).startsWith("Demo mode"));
        assertThat(await(client.chat(hi())).content()).startsWith("Demo mode");
        client.close();
    }

    @Test
    void open_breaker_fails_over_to_the_backup() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p"))
                .withModel("m", dep("p"), dep("b").withPriority(1))
                .withCircuitBreaker(new CircuitBreakerPolicy(2, 0.5, Duration.ofMinutes(5))));
        // two failing calls on p (each fails over to b, which answers)
        env.fake.enqueue(FakeReply.error(500, "x", "x"), FakeReply.text("b1"), FakeReply.error(500, "x", "x"),
                FakeReply.text("b2"));
        await(client.chat(hi()));
        await(client.chat(hi()));
        env.reset();

        ChatResponse r = await(client.chat(hi()));

        assertThat(r.call().deployment()).isEqualTo("b");
        assertThat(env.fake.requests()).extracting(b -> b.get("model").asText()).containsExactly("b");
        client.close();
    }

    @Test
    void rpm_budget_fails_over_before_provoking_a_429() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p"))
                .withModel("m", dep("p").withLimits(new DeploymentLimits(0, 2, 0)), dep("b").withPriority(1)));

        List<String> used = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            used.add(await(client.chat(hi())).call().deployment());
        }

        assertThat(used).containsExactly("p", "p", "b");
        assertThat(env.fake.requests()).hasSize(3);
        client.close();
    }

    @Test
    void rpm_budget_on_a_single_deployment_waits_for_the_refill() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p").withLimits(new DeploymentLimits(0, 60, 0))));
        for (int i = 0; i < 60; i++) {
            await(client.chat(hi()));
        }

        ChatResponse r = await(client.chat(hi()));

        // one request per second refills: the client waited about a second (on the fake clock)
        assertThat(env.waits).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ofMillis(900),
                Duration.ofMillis(1001)));
        assertThat(r.call().attempts()).isEqualTo(2);
        client.close();
    }

    @Test
    void tpm_budget_counts_prompt_size_and_max_tokens() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p"))
                .withModel("m", dep("p").withLimits(new DeploymentLimits(0, 0, 1000)), dep("b").withPriority(1)));
        ChatRequest big = new ChatRequest("m", List.of(new ChatMessage.User("hi")), List.of(), null, null, 800, null, null);

        String first = await(client.chat(big)).call().deployment();
        String second = await(client.chat(big)).call().deployment();

        assertThat(first).isEqualTo("p");
        assertThat(second).isEqualTo("b");
        client.close();
    }

    @Test
    void concurrency_limit_queues_calls_beyond_the_limit() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p").withLimits(new DeploymentLimits(2, 0, 0))));
        for (int i = 0; i < 6; i++) {
            env.fake.enqueue(FakeReply.text("r" + i).withLatency(Duration.ofMillis(50)));
        }

        List<Uni<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(client.chat(hi()));
        }
        List<ChatResponse> all = Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(10));

        assertThat(all).hasSize(6).allSatisfy(r -> assertThat(r.call().attempts()).isEqualTo(1));
        client.close();
    }

    @Test
    void retry_after_above_the_cap_is_not_waited_for() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p")));
        env.fake.enqueue(FakeReply.throttled(Duration.ofSeconds(300)), FakeReply.text("never"));

        Throwable t = catchThrowable(() -> await(client.chat(hi())));

        assertThat(t).isInstanceOf(ModelException.Throttled.class);
        assertThat(((ModelException.Throttled) t).retryAfter()).isEqualTo(Duration.ofSeconds(300));
        assertThat(env.waits).isEmpty();
        client.close();
    }

    @Test
    void retry_budget_stops_retry_storms() {
        // a budget of one retry in reserve and none earned by traffic
        ModelClient client = env.client(ModelClientConfig.single(dep("p"))
                .withRetry(new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(120), 0, 0)));
        for (int i = 0; i < 10; i++) {
            env.fake.enqueue(FakeReply.error(500, "x", "x"));
        }

        catchThrowable(() -> await(client.chat(hi())));

        // the budget's floor is one token: one retry, then the call gives up
        assertThat(env.fake.requests()).hasSize(2);
        client.close();
    }

    @Test
    void backoff_grows_exponentially_and_is_capped() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p")).withRetry(RetryPolicy.DEFAULTS.withMaxRetries(6)));
        for (int i = 0; i < 6; i++) {
            env.fake.enqueue(FakeReply.error(502, "x", "x"));
        }

        await(client.chat(hi()));

        assertThat(env.waits).hasSize(6);
        long[] caps = {500, 1000, 2000, 4000, 8000, 8000};
        for (int i = 0; i < 6; i++) {
            assertThat(env.waits.get(i).toMillis()).isBetween(caps[i] * 3 / 4, caps[i]);
        }
        client.close();
    }

    @Test
    void first_byte_timeout_is_unavailable_and_retried() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p"))
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(5))));
        env.fake.enqueue(FakeReply.text("too slow").withLatency(Duration.ofSeconds(2)), FakeReply.text("fast"));

        ChatResponse r = await(client.chat(hi()));

        assertThat(r.content()).isEqualTo("fast");
        assertThat(r.call().attempts()).isEqualTo(2);
        client.close();
    }

    @Test
    void total_timeout_bounds_an_attempt() {
        ModelClient client = env.client(ModelClientConfig.single(dep("p")).withRetry(RetryPolicy.NONE)
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(150))));
        env.fake.enqueue(FakeReply.text("too slow").withLatency(Duration.ofSeconds(2)));

        Throwable t = catchThrowable(() -> await(client.chat(hi())));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class).hasMessageContaining("within");
        client.close();
    }

    @Test
    void connection_refused_is_unavailable() {
        ModelClient client = env.client(ModelClientConfig.single(Deployment.openAi("http://127.0.0.1:1/v1", null, null))
                .withRetry(RetryPolicy.NONE));

        Throwable t = catchThrowable(() -> await(client.chat(hi())));

        assertThat(t).isInstanceOf(ModelException.Unavailable.class);
        assertThat(((ModelException) t).status()).isZero();
        client.close();
    }
}
