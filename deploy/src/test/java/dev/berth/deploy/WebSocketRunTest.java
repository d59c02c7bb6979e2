package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run of Berth (engine, PostgreSQL, the fake model) with {@code berth.model.transport=websocket}:
 * its 25 tool calls go over one socket, each step sending only the tool's output, and when the
 * provider drops the socket in the middle of the run the step is asked again on a new socket with
 * the whole context rebuilt from PostgreSQL, and no committed step is made again.
 */
@QuarkusTest
@TestProfile(WebSocketRunTest.WebSocketTransport.class)
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class WebSocketRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOOL_CALLS = 25;
    private static final int DROPPED_BEFORE_CALL = 11;

    public static class WebSocketTransport implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.model.transport", "websocket");
        }
    }

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aRunOf25ToolCallsSurvivesADroppedSocketWithoutMakingAStepTwice() throws Exception {
        // Given an agent with a tool, and a model that calls it 25 times, dropping the socket once on the way
        Api.admin().body(Map.of("instructions", "You are a test agent.", "model", "test-model",
                "tools", List.of("current_time"), "limits", Map.of("maxSteps", 40)))
                .put("/v1/agents/socketed").then().statusCode(201);
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "socketed", "wanda");
        for (int i = 1; i <= TOOL_CALLS; i++) {
            if (i == DROPPED_BEFORE_CALL) {
                BerthTestResource.fake().enqueue(FakeReply.drop());
            }
            BerthTestResource.fake().enqueue(FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"));
        }
        BerthTestResource.fake().enqueue(FakeReply.text("It is late."));

        // When a message is sent
        String run = Api.send(BerthTestResource.ADMIN_KEY, session, "What time is it?", 0).statusCode(202)
                .extract().path("id");

        // Then the run completes with every tool call made and committed once
        JsonNode settled = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(admin().get("/v1/runs/" + run).then().statusCode(200).extract().asString()),
                        body -> !List.of("queued", "running").contains(body.path("status").asText()));
        assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("completed");
        assertThat(settled.path("output").asText()).isEqualTo("It is late.");
        List<String> results = new ArrayList<>();
        events(session).stream().filter(e -> "tool.result".equals(e.path("type").asText()))
                .forEach(e -> results.add(e.path("data").path("callId").asText(e.path("data").toString())));
        assertThat(results).hasSize(TOOL_CALLS).doesNotHaveDuplicates();
        BerthTestResource.fake().assertScriptConsumed();

        // and the model was asked over one socket, then (after the drop) over a second one
        List<JsonNode> sent = BerthTestResource.fake().recordedRequests().stream()
                .filter(r -> r.method().equals("WEBSOCKET")).map(RecordedRequest::body).toList();
        assertThat(BerthTestResource.fake().recordedRequests()).hasSize(TOOL_CALLS + 2);
        assertThat(sent).hasSize(TOOL_CALLS + 2);   // 26 answers and the message the drop swallowed
        assertThat(sent.getFirst().has("previous_response_id")).isFalse();
        int retried = DROPPED_BEFORE_CALL;   // index of the retry of the swallowed message
        assertThat(sent.get(retried).has("previous_response_id")).isFalse();
        assertThat(sent.get(retried).get("input").size()).isGreaterThan(2 * (DROPPED_BEFORE_CALL - 1));
        for (int i = 1; i < sent.size(); i++) {
            if (i != retried) {
                assertThat(sent.get(i).get("input")).as("message %d", i).hasSize(1);
                assertThat(sent.get(i).has("previous_response_id")).isTrue();
            }
        }
        // and the run's socket was closed when the run settled
        await().atMost(Duration.ofSeconds(10)).until(() -> BerthTestResource.fake().openSockets() == 0);
    }

    private static List<JsonNode> events(String session) throws Exception {
        JsonNode page = JSON.readTree(admin().get("/v1/sessions/" + session + "/events?limit=500")
                .then().statusCode(200).extract().asString());
        List<JsonNode> events = new ArrayList<>();
        page.path("items").forEach(events::add);
        return events;
    }
}
