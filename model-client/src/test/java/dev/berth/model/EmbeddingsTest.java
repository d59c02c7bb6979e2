package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeReply;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
    static final FakeServerExtension env = new FakeServerExtension();
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

    @Test
    void vectors_come_back_in_input_order_with_requested_dimensions() {
        EmbeddingResponse r = await(client.embed(new EmbeddingRequest("emb", List.of("alpha", "beta", "alpha"), 12)));

        assertThat(r.vectors()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(12));
        assertThat(r.vectors().get(0)).containsExactly(r.vectors().get(2));
        assertThat(r.vectors().get(0)).isNotEqualTo(r.vectors().get(1));
        assertThat(r.usage().inputTokens()).isPositive();
        assertThat(env.fake.requests().getFirst().get("dimensions").asInt()).isEqualTo(12);
        assertThat(env.fake.recordedRequests().getFirst().path()).isEqualTo("/openai/v1/embeddings");
    }

    @Test
    void more_than_2048_inputs_are_sent_in_batches() {
        List<String> inputs = IntStream.range(0, 4100).mapToObj(i -> "text " + i).toList();

        EmbeddingResponse r = await(client.embed(new EmbeddingRequest("emb", inputs, 4)));

        assertThat(env.fake.requests()).extracting(b -> b.get("input").size()).containsExactly(2048, 2048, 4);
        assertThat(r.vectors()).hasSize(4100);
        // the last vector belongs to the last input: same text, same vector
        EmbeddingResponse single = await(client.embed(new EmbeddingRequest("emb", List.of("text 4099"), 4)));
        assertThat(r.vectors().getLast()).containsExactly(single.vectors().getFirst());
        assertThat(r.call().attempts()).isEqualTo(3);
    }

    @Test
    void classic_route_puts_the_deployment_in_the_path() {
        try (ModelClient classic = env.noRetryClient(dev.berth.model.config.Deployment.azureClassic(env.fake.origin(),
                "ada-002", "2024-10-21", "k"))) {
            await(classic.embed(EmbeddingRequest.of("emb", List.of("x"))));
        }

        assertThat(env.fake.recordedRequests().getFirst().path()).isEqualTo("/openai/deployments/ada-002/embeddings");
        assertThat(env.fake.recordedRequests().getFirst().query()).isEqualTo("api-version=2024-10-21");
        assertThat(env.fake.requests().getFirst().has("model")).isFalse();
    }

    @Test
    void a_throttled_batch_is_retried() {
        env.fake.enqueue(FakeReply.throttled(java.time.Duration.ofMillis(100)));

        EmbeddingResponse r = await(client.embed(EmbeddingRequest.of("emb", List.of("a"))));

        assertThat(r.vectors()).hasSize(1);
        assertThat(r.call().attempts()).isEqualTo(2);
    }
}
