package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that arrives while a run is in its tool step never splits that run's tool exchange in the
 * next run's context (issue 22 point 1, ADR 0018), against the strict fake, which refuses a request
 * with tool calls but without their results as OpenAI and Azure do.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ToolExchangeContextTest {
    private static final Map<String, Object> LOCATION_TOOL = Map.of("name", "get_location",
            "description", "The user's location, from their device.",
            "parameters", Map.of("type", "object", "properties", Map.of()));
    private static final String CANCELLED = "No result: the call was cancelled before it returned.";

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void inputQueuedWhileARunWaitsForItsToolIsAnsweredAfterThatRunsWholeExchange() throws Exception {
        // Given a run paused in its tool step, waiting for a client-side tool's output
        String session = ToolsApi.sessionWithAgent(Map.of("clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(
                new FakeReply.ToolCalls(List.of(new ToolCall("call_loc", "get_location", "{}")), null),
                FakeReply.text("You are in Lyon."), FakeReply.text("It will rain."));
        JsonNode first = ToolsApi.sendAndWait(session, "Where am I?");
        assertThat(first.get("status").asText()).isEqualTo("requires_action");

        // When the user sends another message (enqueued) before the tool's output comes back
        String second = ToolsApi.admin().body(Map.of("text", "And the weather?"))
                .post("/v1/sessions/" + session + "/messages").then().statusCode(202).extract().path("id");
        ToolsApi.admin().body(Map.of("actions", List.of(Map.of("callId", "call_loc", "output", "Lyon, France"))))
                .post("/v1/runs/" + first.get("id").asText() + "/actions").then().statusCode(200);

        // Then both runs complete: the second run's request, which the strict fake accepted, shows the
        // first run's call, its result and its answer, then the queued message
        assertThat(ToolsApi.run(first.get("id").asText(), 30).get("status").asText()).isEqualTo("completed");
        JsonNode done = ToolsApi.run(second, 30);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("output").asText()).isEqualTo("It will rain.");
        List<JsonNode> requests = BerthTestResource.fake().requests();
        JsonNode messages = requests.get(requests.size() - 1).get("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "assistant", "user");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_loc");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("Lyon, France");
        assertThat(messages.get(5).get("content").asText()).isEqualTo("And the weather?");
    }

    @Test
    void aCancelledPausedRunsUnansweredCallIsAnsweredInTheNextRunsContext() throws Exception {
        // Given a run waiting for a client-side tool's output
        String session = ToolsApi.sessionWithAgent(Map.of("clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(
                new FakeReply.ToolCalls(List.of(new ToolCall("call_gone", "get_location", "{}")), null),
                FakeReply.text("Hello again."));
        JsonNode first = ToolsApi.sendAndWait(session, "Where am I?");
        assertThat(first.get("status").asText()).isEqualTo("requires_action");

        // When it is cancelled and the user writes again
        ToolsApi.admin().post("/v1/runs/" + first.get("id").asText() + "/cancel").then().statusCode(200);
        JsonNode next = ToolsApi.sendAndWait(session, "Hello?");

        // Then the next run completes: the strict fake accepted its request, in which the call is answered
        assertThat(next.get("status").asText()).as(next.toString()).isEqualTo("completed");
        List<JsonNode> requests = BerthTestResource.fake().requests();
        JsonNode messages = requests.get(requests.size() - 1).get("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "user");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_gone");
        // by the result the cancellation wrote into the log in its own statement (ADR 0020), not one
        // the context assembler had to add
        assertThat(messages.get(3).get("content").asText()).isEqualTo(CANCELLED);
        assertThat(ToolsApi.eventsOfType(session, "tool.result")).singleElement()
                .satisfies(result -> assertThat(result.get("unanswered").asText()).isEqualTo("cancelled"));
    }

    @Test
    void inputUnderTheInterruptPolicyAnswersThePausedRunsCallsInTheLogBeforeItself() throws Exception {
        // Given a session with the interrupt policy whose run waits for a client-side tool's output
        String session = ToolsApi.sessionWithAgent(Map.of("clientTools", List.of(LOCATION_TOOL),
                "inputPolicy", "interrupt"));
        BerthTestResource.fake().enqueue(
                new FakeReply.ToolCalls(List.of(new ToolCall("call_cut", "get_location", "{}")), null),
                FakeReply.text("Sure, the weather."));
        JsonNode first = ToolsApi.sendAndWait(session, "Where am I?");
        assertThat(first.get("status").asText()).isEqualTo("requires_action");

        // When the user writes again, interrupting it
        JsonNode next = ToolsApi.sendAndWait(session, "Never mind, the weather?");

        // Then the paused run is cancelled, its call has a result in the log before the new input, and
        // the next run's request (which the strict fake accepted) carries that result
        assertThat(ToolsApi.run(first.get("id").asText(), 30).get("status").asText()).isEqualTo("cancelled");
        assertThat(next.get("status").asText()).as(next.toString()).isEqualTo("completed");
        List<String> types = new java.util.ArrayList<>();
        ToolsApi.events(session).forEach(event -> types.add(event.get("type").asText()));
        assertThat(types.subList(types.indexOf("tool.result"), types.size()))
                .startsWith("tool.result", "user.message");
        List<JsonNode> requests = BerthTestResource.fake().requests();
        JsonNode messages = requests.get(requests.size() - 1).get("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "user");
        assertThat(messages.get(3).get("content").asText()).isEqualTo(CANCELLED);
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new java.util.ArrayList<>();
        messages.forEach(m -> roles.add(m.get("role").asText()));
        return roles;
    }
}
