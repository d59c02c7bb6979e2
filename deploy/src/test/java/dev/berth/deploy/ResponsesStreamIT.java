package dev.berth.deploy;

import static dev.berth.deploy.ProcessBacking.api;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.BerthProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Berth processes on one database (ADR 0038): a response created and streamed on one is, after its
 * client dropped the connection, resumed on the other with {@code starting_after}, and the client gets
 * every event once, in order, accumulating to the response either process reads back.
 */
class ResponsesStreamIT {
    private static ProcessBacking backing;
    private static BerthProcess first;
    private static BerthProcess second;

    @BeforeAll
    static void startTwoProcesses() {
        backing = ProcessBacking.start();
        first = backing.berth("responses-a", Map.of()).start();
        second = backing.berth("responses-b", Map.of()).start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, backing}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    @Test
    void aStreamDroppedOnOneProcessIsResumedOnTheOtherWithoutGapOrDuplicate() {
        // Given an agent with a tool, and a model that calls it, then answers, each call taking a while
        api(first).body(Map.of("instructions", "Tell the time.", "model", "m", "tools", List.of("current_time")))
                .put("/v1/agents/clock").then().statusCode(201);
        backing.fake().enqueue(
                new FakeReply.ToolCalls(List.of(new ToolCall("call_1", "current_time", "{\"timeZone\":\"UTC\"}")), null)
                        .withLatency(Duration.ofMillis(500)),
                FakeReply.text("It is noon somewhere.").withLatency(Duration.ofSeconds(2)));

        // When a client streams a background response from the first process, and drops the connection
        // once the tool call's item is done (an mcp_call: Berth ran it, ADR 0037)
        List<JsonNode> received = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client(first).responses().createStreaming(
                ResponseCreateParams.builder().model("clock").input("What time is it?").background(true).build())) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            while (events.hasNext()) {
                JsonNode event = ResponsesStreamTest.json(events.next().validate());
                received.add(event);
                if (event.get("type").asText().equals("response.output_item.done")) {
                    break;
                }
            }
        }
        String id = received.getFirst().at("/response/id").asText();
        long last = received.getLast().get("sequence_number").asLong();
        assertThat(received.getLast().at("/item/type").asText()).isEqualTo("mcp_call");
        assertThat(received).noneMatch(event -> event.get("type").asText().equals("response.completed"));

        // and resumes on the second process after the last event it received
        try (StreamResponse<ResponseStreamEvent> stream = client(second).responses().retrieveStreaming(id,
                ResponseRetrieveParams.builder().startingAfter(last).build())) {
            stream.stream().forEach(event -> received.add(ResponsesStreamTest.json(event.validate())));
        }

        // Then it has every event once, numbered 0, 1, 2... without a gap, ending with the completed response
        assertThat(received).extracting(event -> event.get("sequence_number").asInt())
                .containsExactlyElementsOf(IntStream.range(0, received.size()).boxed().toList());
        assertThat(received.getLast().get("type").asText()).isEqualTo("response.completed");
        assertThat(received).extracting(event -> event.get("type").asText()).contains(
                "response.output_item.done", "response.output_text.delta");
        // the same events as a whole replay on either process
        for (BerthProcess process : List.of(first, second)) {
            List<JsonNode> replay = new ArrayList<>();
            try (StreamResponse<ResponseStreamEvent> stream = client(process).responses().retrieveStreaming(id,
                    ResponseRetrieveParams.builder().build())) {
                stream.stream().forEach(event -> replay.add(ResponsesStreamTest.json(event)));
            }
            assertThat(replay).as(process.toString()).isEqualTo(received);
        }
        // and accumulated with the SDK's helper, the response both processes read back
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        received.forEach(event -> accumulator.accumulate(sdkEvent(event)));
        Response accumulated = accumulator.response();
        assertThat(accumulated.status()).contains(ResponseStatus.COMPLETED);
        assertThat(ResponsesStreamTest.text(accumulated)).isEqualTo("It is noon somewhere.");
        assertThat(ResponsesStreamTest.json(client(first).responses().retrieve(id))).isEqualTo(ResponsesStreamTest.json(accumulated));
        assertThat(ResponsesStreamTest.json(client(second).responses().retrieve(id))).isEqualTo(ResponsesStreamTest.json(accumulated));
    }

    private static ResponseStreamEvent sdkEvent(JsonNode event) {
        try {
            return com.openai.core.ObjectMappers.jsonMapper().readValue(event.toString(), ResponseStreamEvent.class).validate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OpenAIClient client(BerthProcess process) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(process.baseUrl() + "/openai/v1")
                .apiKey(BerthProcess.ADMIN_KEY)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }
}
