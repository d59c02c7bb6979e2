package dev.berth.model.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.internal.ModelJson;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fake's Azure streams: by default as Azure sends them (every chunk after the prompt's annotation has a
 * {@code delta}); with the Asynchronous Filter opt-in, annotation chunks without {@code delta} in Azure's
 * documented format. Berth's client reads both.
 */
class AzureStreamShapeTest {
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer plain = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
    static final FakeModelServer async = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults().withAzureAsyncFilter());

    @AfterAll
    static void close() {
        plain.close();
        async.close();
        vertx.closeAndAwait();
    }

    /** The chunks' JSON as sent on the wire (without the final [DONE]). */
    private static List<JsonNode> rawChunks(FakeModelServer fake) throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is color?\"}]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.baseUrl()
                + "/chat/completions")).header("api-key", "k").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                chunks.add(ModelJson.parse(line.substring(6)));
            }
        }
        return chunks;
    }

    @Test
    void by_default_every_choice_has_a_delta_and_annotations_travel_beside_it() throws Exception {
        plain.enqueue(FakeReply.text("Color is a property"));

        List<JsonNode> chunks = rawChunks(plain);

        JsonNode first = chunks.getFirst();
        assertThat(first.path("choices").size()).isZero();
        assertThat(first.path("prompt_filter_results").get(0).has("content_filter_results")).isTrue();
        List<JsonNode> choices = chunks.stream().skip(1).flatMap(c -> stream(c.path("choices"))).toList();
        assertThat(choices).isNotEmpty().allSatisfy(choice -> {
            assertThat(choice.has("delta")).as("delta in %s", choice).isTrue();
            assertThat(choice.has("content_filter_offsets")).isFalse();
        });
        assertThat(choices).filteredOn(c -> c.path("delta").has("content") && !c.path("delta").path("content").asText().isEmpty())
                .allSatisfy(c -> assertThat(c.path("content_filter_results").has("hate")).isTrue());
    }

    @Test
    void async_filter_sends_annotation_chunks_without_delta_in_azures_documented_format() throws Exception {
        async.enqueue(FakeReply.text("Color is a property"));

        List<JsonNode> chunks = rawChunks(async);

        JsonNode annotation = chunks.stream().filter(c -> c.path("choices").size() == 1
                && !c.path("choices").get(0).has("delta")).findFirst().orElseThrow();
        assertThat(annotation.path("id").asText()).isEmpty();
        assertThat(annotation.path("object").asText()).isEmpty();
        assertThat(annotation.path("created").asLong()).isZero();
        assertThat(annotation.path("model").asText()).isEmpty();
        assertThat(annotation.has("usage") && annotation.get("usage").isNull()).isTrue();
        JsonNode choice = annotation.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.get("finish_reason").isNull()).isTrue();
        assertThat(choice.path("content_filter_results").path("violence").path("severity").asText()).isEqualTo("safe");
        JsonNode offsets = choice.path("content_filter_offsets");
        long prompt = "What is color?".length();
        assertThat(offsets.path("start_offset").asLong()).isEqualTo(prompt);
        assertThat(offsets.path("end_offset").asLong()).isEqualTo(prompt + "Color is a property".length());
        assertThat(offsets.path("check_offset").asLong()).isEqualTo(offsets.path("end_offset").asLong());
        // content chunks carry no annotation in this mode: the filter runs after them
        assertThat(chunks.stream().skip(1).filter(c -> c.path("choices").size() == 1 && c.path("choices").get(0).has("delta")))
                .allSatisfy(c -> assertThat(c.path("choices").get(0).has("content_filter_results")).isFalse());
    }

    @Test
    void berth_client_reads_both_shapes() {
        for (FakeModelServer fake : List.of(plain, async)) {
            fake.enqueue(FakeReply.text("Color is a property"));
            try (ModelClient client = ModelClients.create(vertx, ModelClientConfig.single(
                    Deployment.azureV1(fake.baseUrl(), "gpt-4o", "k")))) {
                List<ChatStreamEvent> events = client.chatStream(ChatRequest.of("chat",
                        List.of(new ChatMessage.User("What is color?")), List.of())).collect().asList()
                        .await().atMost(Duration.ofSeconds(10));
                ChatResponse done = ((ChatStreamEvent.Completed) events.getLast()).response();
                assertThat(done.content()).isEqualTo("Color is a property");
                assertThat(done.id()).startsWith("chatcmpl-");
                assertThat(done.usage().outputTokens()).isPositive();
            }
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
