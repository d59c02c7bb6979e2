package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.Flavour;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.RecordedRequest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutesAndAuthTest {
    static final FakeServerExtension env = new FakeServerExtension(FakeOptions.defaults().withApiKey("secret-key"));

    @AfterAll
    static void close() {
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private ChatResponse callWith(Deployment d) {
        try (ModelClient c = env.noRetryClient(d)) {
            return await(c.chat(ChatRequest.of("logical", List.of(new ChatMessage.User("hi")), List.of())));
        }
    }

    @Test
    void azure_v1_sends_api_key_and_deployment_as_model() {
        ChatResponse r = callWith(Deployment.azureV1(env.fake.baseUrl(), "gpt-4o-eu", "secret-key"));

        RecordedRequest sent = env.fake.recordedRequests().getFirst();
        assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.header("api-key")).isEqualTo("secret-key");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.body().get("model").asText()).isEqualTo("gpt-4o-eu");
        assertThat(r.content()).contains("you said \"hi\"");
    }

    @Test
    void streams_carry_the_same_user_agent_as_calls() {
        Deployment d = Deployment.azureV1(env.fake.baseUrl(), "gpt-4o-eu", "secret-key");
        callWith(d);
        try (ModelClient c = env.noRetryClient(d)) {
            c.chatStream(ChatRequest.of("logical", List.of(new ChatMessage.User("hi")), List.of())).collect().asList()
                    .await().atMost(java.time.Duration.ofSeconds(10));
        }

        List<RecordedRequest> sent = env.fake.recordedRequests();
        assertThat(sent.get(0).header("user-agent")).isEqualTo("berth-model-client");
        assertThat(sent.get(1).body().get("stream").asBoolean()).isTrue();
        assertThat(sent.get(1).header("user-agent")).isEqualTo(sent.get(0).header("user-agent"));
    }

    @Test
    void azure_v1_answers_carry_prompt_filter_results() {
        try (ModelClient c = env.noRetryClient(Deployment.azureV1(env.fake.baseUrl(), "d", "secret-key"))) {
            await(c.chat(ChatRequest.of("x", List.of(new ChatMessage.User("hi")), List.of())));
        }
        // the client tolerates Azure's annotations; the recorded request proves the Azure route was used
        assertThat(env.fake.recordedRequests().getFirst().path()).startsWith("/openai/");
    }

    @Test
    void openai_sends_bearer_and_logical_name_when_no_model_is_set() {
        callWith(Deployment.openAi(env.fake.openAiBaseUrl(), null, "secret-key"));

        RecordedRequest sent = env.fake.recordedRequests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer secret-key");
        assertThat(sent.header("api-key")).isNull();
        assertThat(sent.body().get("model").asText()).isEqualTo("logical");
    }

    @Test
    void azure_classic_puts_deployment_in_path_with_api_version() {
        callWith(Deployment.azureClassic(env.fake.origin(), "gpt-4o-classic", "2024-10-21", "secret-key"));

        RecordedRequest sent = env.fake.recordedRequests().getFirst();
        assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o-classic/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
        assertThat(sent.body().has("model")).isFalse();
    }

    @Test
    void azure_classic_endpoint_with_openai_suffix_is_accepted() {
        callWith(Deployment.azureClassic(env.fake.origin() + "/openai/", "dep", "2024-10-21", "secret-key"));

        assertThat(env.fake.recordedRequests().getFirst().path()).isEqualTo("/openai/deployments/dep/chat/completions");
    }

    @Test
    void azure_v1_with_api_version_adds_the_query() {
        callWith(new Deployment("eu", URI.create(env.fake.baseUrl()), Flavour.AZURE_V1, "d", "preview",
                new Auth.ApiKey("secret-key"), 0, null));

        assertThat(env.fake.recordedRequests().getFirst().query()).isEqualTo("api-version=preview");
    }

    @Test
    void a_wrong_key_is_an_authentication_error_without_the_key() {
        Throwable t = catchThrowable(() -> callWith(Deployment.azureV1(env.fake.baseUrl(), "d", "wrong-key")));

        assertThat(t).isInstanceOf(ModelException.Authentication.class).hasMessageNotContaining("wrong-key");
        assertThat(String.valueOf(new Auth.ApiKey("wrong-key"))).doesNotContain("wrong-key");
    }
}
