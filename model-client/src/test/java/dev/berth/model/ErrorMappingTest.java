package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
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

    private Throwable call() {
        return catchThrowable(() -> FakeServerExtension.await(
                client.chat(ChatRequest.of("chat", List.of(new ChatMessage.User("hi")), List.of()))));
    }

    @Test
    void azure_content_filter_with_wire_spelling_innererror() {
        env.fake.enqueue(FakeReply.raw(400, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                "type":null,"param":"prompt","code":"content_filter","status":400,
                "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{
                "hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},
                "sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"},
                "jailbreak":{"filtered":true,"detected":true}}}}}"""));

        Throwable t = call();

        assertThat(t).isInstanceOf(ModelException.ContentFiltered.class);
        ModelException.ContentFiltered cf = (ModelException.ContentFiltered) t;
        assertThat(cf.categories()).containsExactly("violence", "jailbreak");
        assertThat(cf.retryable()).isFalse();
        assertThat(cf.status()).isEqualTo(400);
    }

    @Test
    void azure_content_filter_with_spec_spelling_inner_error() {
        env.fake.enqueue(FakeReply.raw(400, """
                {"error":{"message":"filtered","code":"content_filter","inner_error":{"code":"ResponsibleAIPolicyViolation",
                "content_filter_results":{"hate":{"filtered":true,"severity":"high"},"sexual":{"filtered":false,"severity":"safe"}}}}}"""));

        Throwable t = call();

        assertThat(t).isInstanceOf(ModelException.ContentFiltered.class);
        assertThat(((ModelException.ContentFiltered) t).categories()).containsExactly("hate");
    }

    @Test
    void context_length_exceeded() {
        env.fake.enqueue(FakeReply.error(400, "context_length_exceeded",
                "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."));

        assertThat(call()).isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("maximum context length");
    }

    @Test
    void throttled_carries_retry_after_ms_first() {
        env.fake.enqueue(FakeReply.error(429, "429", "Rate limit is exceeded.")
                .withHeader("Retry-After", "7").withHeader("retry-after-ms", "6500"));

        Throwable t = call();

        assertThat(t).isInstanceOf(ModelException.Throttled.class);
        assertThat(((ModelException.Throttled) t).retryAfter()).isEqualTo(Duration.ofMillis(6500));
        assertThat(((ModelException) t).retryable()).isTrue();
    }

    @Test
    void throttled_falls_back_to_retry_after_seconds() {
        env.fake.enqueue(new FakeReply.Error(429, "rate_limit_exceeded", "slow down", Map.of("Retry-After", "3"), null));

        assertThat(((ModelException.Throttled) call()).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void server_errors_are_unavailable() {
        for (int status : new int[] {500, 502, 503, 504, 408, 409}) {
            env.fake.enqueue(FakeReply.error(status, "server_error", "boom"));
            Throwable t = call();
            assertThat(t).as("status %d", status).isInstanceOf(ModelException.Unavailable.class);
            assertThat(((ModelException) t).status()).isEqualTo(status);
        }
    }

    @Test
    void auth_failures_never_echo_the_provider_message() {
        env.fake.enqueue(FakeReply.error(401, "invalid_api_key", "Incorrect API key provided: sk-abc***xyz"));
        Throwable t401 = call();
        env.fake.enqueue(FakeReply.error(403, "forbidden", "no access"));
        Throwable t403 = call();

        assertThat(t401).isInstanceOf(ModelException.Authentication.class).hasMessageNotContaining("sk-");
        assertThat(((ModelException) t401).status()).isEqualTo(401);
        assertThat(t403).isInstanceOf(ModelException.Authentication.class);
    }

    @Test
    void other_client_errors_are_bad_requests() {
        env.fake.enqueue(FakeReply.error(400, "invalid_value", "Invalid value for 'tool_choice'"));
        Throwable t400 = call();
        env.fake.enqueue(FakeReply.error(404, "DeploymentNotFound", "The API deployment does not exist"));
        Throwable t404 = call();

        assertThat(t400).isInstanceOf(ModelException.BadRequest.class).hasMessageContaining("tool_choice");
        assertThat(t404).isInstanceOf(ModelException.BadRequest.class);
        assertThat(((ModelException) t404).status()).isEqualTo(404);
    }

    @Test
    void malformed_json_and_dropped_connections_are_unavailable() {
        env.fake.enqueue(FakeReply.raw(200, "{\"id\": \"chatcmpl-1\", \"choices\": [ {"));
        Throwable malformed = call();
        env.fake.enqueue(FakeReply.drop());
        Throwable dropped = call();

        assertThat(malformed).isInstanceOf(ModelException.Unavailable.class);
        assertThat(dropped).isInstanceOf(ModelException.Unavailable.class);
        assertThat(((ModelException) dropped).status()).isZero();
    }

    @Test
    void unknown_model_without_default_is_a_bad_request() {
        ModelClient c = env.client(dev.berth.model.config.ModelClientConfig.single(env.azureV1("k"))
                .withModel("known", env.azureV1("k")));
        // the single() default makes every name known; a config without default must reject
        var cfg = new dev.berth.model.config.ModelClientConfig(Map.of("known", List.of(env.azureV1("k"))), null,
                null, null, 10);
        ModelClient strict = env.client(cfg);

        Throwable t = catchThrowable(() -> FakeServerExtension.await(
                strict.chat(ChatRequest.of("other", List.of(new ChatMessage.User("hi")), List.of()))));

        assertThat(t).isInstanceOf(ModelException.BadRequest.class).hasMessageContaining("other");
        c.close();
        strict.close();
    }
}
