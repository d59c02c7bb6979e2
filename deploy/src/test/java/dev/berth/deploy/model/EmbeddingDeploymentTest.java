package dev.berth.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.EmbeddingRequest;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.config.StreamUsagePolicy;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.RecordedRequest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On an Azure classic endpoint, embeddings go where the configuration says: to
 * {@code berth.model.embedding-deployment} (or a named deployment listing the embedding model), never to the
 * chat deployment of {@code berth.model.deployment}; with nothing to send them to, Berth refuses to start.
 * Driven through the real client against the fake's classic routes.
 */
class EmbeddingDeploymentTest {
    static final String EMBEDDING_MODEL = "text-embedding-3-small";
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());

    @AfterAll
    static void close() {
        fake.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static Map<String, String> classic(String... more) {
        Map<String, String> p = new HashMap<>(Map.of("berth.model.endpoint", fake.origin(),
                "berth.model.flavour", "azure-classic", "berth.model.api-key", "k",
                "berth.model.deployment", "gpt-4o"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** Embeds one text and chats once through a client built from the configuration; the paths the fake saw. */
    private static List<String> embedAndChat(Map<String, String> properties) {
        try (ModelClient client = ModelClients.create(vertx,
                ModelDeployments.clientConfig(config(properties), EMBEDDING_MODEL, Map.of()))) {
            client.embed(EmbeddingRequest.of(EMBEDDING_MODEL, List.of("remember the milk")))
                    .await().atMost(Duration.ofSeconds(10));
            client.chat(ChatRequest.of("assistant", List.of(new ChatMessage.User("hi")), List.of()))
                    .await().atMost(Duration.ofSeconds(10));
        }
        return fake.recordedRequests().stream().map(RecordedRequest::path).toList();
    }

    @Test
    void embeddings_go_to_the_embedding_deployment_and_chat_to_the_chat_deployment() {
        List<String> paths = embedAndChat(classic("berth.model.embedding-deployment", "embed-small"));

        assertThat(paths).containsExactly("/openai/deployments/embed-small/embeddings",
                "/openai/deployments/gpt-4o/chat/completions");
        assertThat(fake.recordedRequests().getFirst().query()).isEqualTo("api-version=2024-10-21");
    }

    @Test
    void a_named_deployment_listing_the_embedding_model_serves_it() {
        List<String> paths = embedAndChat(classic(
                "berth.model.deployments.emb.endpoint", fake.origin(),
                "berth.model.deployments.emb.flavour", "azure-classic",
                "berth.model.deployments.emb.api-key", "k",
                "berth.model.deployments.emb.deployment", "ada-3",
                "berth.model.deployments.emb.models", EMBEDDING_MODEL));

        assertThat(paths).containsExactly("/openai/deployments/ada-3/embeddings",
                "/openai/deployments/gpt-4o/chat/completions");
    }

    @Test
    void with_only_the_chat_deployment_berth_refuses_to_start() {
        assertThatThrownBy(() -> ModelDeployments.clientConfig(config(classic()), EMBEDDING_MODEL, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("berth.model.embedding-deployment")
                .hasMessageContaining(EMBEDDING_MODEL);
    }

    @Test
    void without_a_chat_deployment_the_logical_name_is_sent_as_before() {
        Map<String, String> v1 = Map.of("berth.model.endpoint", fake.baseUrl(), "berth.model.api-key", "k",
                "berth.model.flavour", "azure-v1");

        embedAndChat(v1);

        assertThat(fake.requests().getFirst().get("model").asText()).isEqualTo(EMBEDDING_MODEL);
    }

    @Test
    void stream_usage_is_configured_per_deployment() {
        var client = ModelDeployments.clientConfig(config(classic("berth.model.embedding-deployment", "e",
                "berth.model.stream-usage", "ask")), EMBEDDING_MODEL, Map.of());

        assertThat(client.defaultDeployment().streamUsage()).isEqualTo(StreamUsagePolicy.ASK);
        assertThat(client.deploymentsFor(EMBEDDING_MODEL).getFirst().id()).isEqualTo(ModelDeployments.EMBEDDINGS_ID);
        assertThatThrownBy(() -> ModelDeployments.clientConfig(config(classic("berth.model.embedding-deployment", "e",
                "berth.model.stream-usage", "sometimes")), EMBEDDING_MODEL, Map.of()))
                .hasMessageContaining("auto, ask or estimate");
    }

    private static ModelConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(ModelConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(ModelConfig.class);
    }
}
