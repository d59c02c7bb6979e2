package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stream: true}, {@code background: true} and {@code store: false} on {@code /openai/v1/responses},
 * driven by the official OpenAI Java SDK with strict validation (ADR 0038): the stream is accumulated with
 * the SDK's own helper, resumed with {@code starting_after}, and a background response is polled.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ResponsesStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aStreamedResponseIsOpenAisEventsAndAccumulatesToTheResponseReadBack() throws Exception {
        // Given an agent whose model answers in one message
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Hello from a stream."));

        // When the response is created with stream: true and accumulated with the SDK's helper
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<JsonNode> events;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder()
                .model(agent).input("Say hello.").build())) {
            events = stream.stream().map(event -> json(accumulator.accumulate(event.validate()))).toList();
        }

        // Then the events are OpenAI's, in order, numbered 0, 1, 2... without a gap
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed");
        assertThat(events).extracting(event -> event.get("sequence_number").asInt())
                .containsExactlyElementsOf(IntStream.range(0, events.size()).boxed().toList());
        assertThat(events.get(4).get("delta").asText()).isEqualTo("Hello from a stream.");
        // and the accumulated response is the completed one, as GET reads it back
        Response accumulated = accumulator.response();
        assertThat(accumulated.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(accumulated)).isEqualTo("Hello from a stream.");
        Response read = client().responses().retrieve(accumulated.id());
        assertThat(json(read)).isEqualTo(json(accumulated));
    }

    @Test
    void aToolCallBerthRunsStreamsAsTheMcpCallItemTheResponseShows() throws Exception {
        // Given an agent with a server-side tool, whose model calls it once and then answers
        String agent = "stream-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent, "current_time");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"),
                FakeReply.text("It is noon."));

        // When the response is streamed
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<JsonNode> events;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder()
                .model(agent).input("What time is it?").build())) {
            events = stream.stream().map(event -> json(accumulator.accumulate(event.validate()))).toList();
        }

        // Then its items are the response's, in its order: the call Berth ran is an mcp_call (a client that
        // saw a function_call would try to answer it), then the answer
        List<JsonNode> streamed = events.stream()
                .filter(event -> "response.output_item.done".equals(event.get("type").asText()))
                .map(event -> event.get("item")).toList();
        assertThat(streamed).extracting(item -> item.get("type").asText()).containsExactly("mcp_call", "message");
        List<JsonNode> read = new ArrayList<>();
        json(client().responses().retrieve(accumulator.response().id())).get("output").forEach(read::add);
        assertThat(streamed).containsExactlyElementsOf(read);
    }

    @Test
    void aStreamResumedWithStartingAfterGivesTheRestWithoutGapOrDuplicate() throws Exception {
        // Given a streamed response, read to its end
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Resumable."));
        List<JsonNode> whole;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder()
                .model(agent).input("Go.").build())) {
            whole = stream.stream().map(event -> json(event.validate())).toList();
        }
        String id = whole.getFirst().at("/response/id").asText();

        // When it is streamed again after each number the client may have seen last
        for (int last = -1; last < whole.size(); last++) {
            List<JsonNode> rest;
            try (StreamResponse<ResponseStreamEvent> stream = client().responses().retrieveStreaming(id,
                    ResponseRetrieveParams.builder().startingAfter(last).build())) {
                rest = stream.stream().map(event -> json(event.validate())).toList();
            }
            // Then it gets exactly the events after it, the same ones
            assertThat(rest).as("after %d", last).isEqualTo(whole.subList(last + 1, whole.size()));
        }
    }

    @Test
    void aBackgroundResponseAnswersAtOnceAndIsPolledUntilDone() {
        // Given a model that takes a while
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Done in the background.").withLatency(Duration.ofSeconds(2)));

        // When a background response is created
        long started = System.nanoTime();
        Response created = client().responses().create(ResponseCreateParams.builder()
                .model(agent).input("Work.").background(true).build());

        // Then it is answered before the model does, queued or in progress
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(created.status().orElseThrow()).isIn(ResponseStatus.QUEUED, ResponseStatus.IN_PROGRESS);
        // and polling reads it completed, with the answer
        Response done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client().responses().retrieve(created.id()),
                        response -> response.status().orElseThrow().equals(ResponseStatus.COMPLETED));
        assertThat(text(done)).isEqualTo("Done in the background.");
    }

    @Test
    void storeFalseDeletesTheConversationOnceTheResponseSettles() {
        // Given an agent
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Not kept."), FakeReply.text("Not kept either."));

        // When a response is created with store: false
        Response response = client().responses().create(ResponseCreateParams.builder()
                .model(agent).input("Forget this.").store(false).build());

        // Then the client gets the answer, and neither the response nor its conversation can be read later
        assertThat(text(response)).isEqualTo("Not kept.");
        assertNotFound(response.id(), response.conversation().orElseThrow().id());

        // and so for a streamed one, once its stream ends
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder()
                .model(agent).input("Forget this too.").store(false).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Response streamed = accumulator.response();
        assertThat(text(streamed)).isEqualTo("Not kept either.");
        assertNotFound(streamed.id(), streamed.conversation().orElseThrow().id());
    }

    private void assertNotFound(String responseId, String conversationId) {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client().responses().retrieve(responseId)))
                .isInstanceOf(NotFoundException.class);
        String session = conversationId.substring("conv_".length())
                .replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
        Api.admin().get("/v1/sessions/" + session).then().statusCode(404);
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(BerthTestResource.ADMIN_KEY)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    private static String agent() {
        String agent = "stream-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        return agent;
    }

    static JsonNode json(Object sdkObject) {
        try {
            return JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(sdkObject));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Response response) {
        return response.output().stream().filter(ResponseOutputItem::isMessage)
                .flatMap(item -> item.asMessage().content().stream())
                .map(content -> content.asOutputText().text())
                .reduce("", String::concat);
    }
}
