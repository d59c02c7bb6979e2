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
    void vectors_of_another_length_than_the_requested_dimensions_are_refused() {
        // a model that ignores "dimensions" (text-embedding-ada-002 does) answers its own length
        env.fake.enqueue(new FakeReply.Raw(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"ada\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}",
                java.util.Map.of("content-type", "application/json"), null));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> await(client.embed(new EmbeddingRequest("emb", List.of("alpha"), 12))));

        assertThat(failure).isInstanceOf(ModelException.BadRequest.class)
                .hasMessageContaining("3 dimensions, 12 were asked for");
        assertThat(env.fake.requests()).hasSize(1);
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
