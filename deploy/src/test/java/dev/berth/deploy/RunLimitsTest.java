package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits a run meets on its way, end to end through HTTP against real PostgreSQL: the
 * agent's {@code maxSteps}, the team limits of docs/teams.md ({@code berth.teams.max-fan-out}
 * 8, {@code berth.teams.max-team-steps} 50, the defaults), and the wall-clock limit of a paused
 * run, which counts from its resumption (docs/tools.md, ADR 0006).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class RunLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FAN_OUT = 8;
    private static final int MAX_TEAM_STEPS = 50;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aRunThatReachesItsAgentsMaxStepsFailsWithoutAnotherModelCall() throws Exception {
        // Given an agent allowed two model calls, and a model that keeps calling a tool
        String tag = tag();
        defineAgent("stepper-" + tag, Map.of("tools", List.of("current_time"), "limits", Map.of("maxSteps", 2)));
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "stepper-" + tag, "hal");
        BerthTestResource.fake().enqueue(timeCall("t1"), timeCall("t2"), FakeReply.text("never asked for"));

        // When a message is sent
        JsonNode run = settled(Api.send(BerthTestResource.ADMIN_KEY, session, "Loop", 0).statusCode(202)
                .extract().path("id"));

        // Then the run fails with max_steps_exceeded after two calls, both tool results committed first
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asText()).isEqualTo("max_steps_exceeded");
        assertThat(run.path("modelCalls").asInt()).isEqualTo(2);
        assertThat(BerthTestResource.fake().requests()).hasSize(2);
        assertThat(BerthTestResource.fake().pendingReplies()).isEqualTo(1);
        assertThat(types(session)).containsExactly("user.message", "assistant.message", "tool.result",
                "assistant.message", "tool.result", "run.failed");
        assertThat(eventsOfType(session, "run.failed").getFirst().path("data").path("code").asText())
                .isEqualTo("max_steps_exceeded");
    }

    @Test
    void aTurnWithMoreSubAgentCallsThanTheFanOutLimitFailsAndStartsNoChild() throws Exception {
        // Given a supervisor with a sub-agent, and a model that calls it once more than the limit allows
        String tag = tag();
        defineAgent("worker-" + tag, Map.of());
        defineAgent("boss-" + tag, Map.of("subAgents", List.of("worker-" + tag)));
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "boss-" + tag, "ivy");
        List<ToolCall> calls = IntStream.rangeClosed(1, MAX_FAN_OUT + 1)
                .mapToObj(i -> new ToolCall("sub" + i, "agent__worker-" + tag, "{\"input\":\"task " + i + "\"}"))
                .toList();
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(calls, null));
        long sessionsBefore = count("select count(*) from sessions");

        // When a message is sent
        JsonNode run = settled(Api.send(BerthTestResource.ADMIN_KEY, session, "Fan out", 0).statusCode(202)
                .extract().path("id"));

        // Then it fails with team_fan_out_exceeded, no child session or run exists, and every call has its result
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asText()).isEqualTo("team_fan_out_exceeded");
        assertThat(BerthTestResource.fake().requests()).hasSize(1);
        assertThat(count("select count(*) from sessions")).isEqualTo(sessionsBefore);
        assertThat(count("select count(*) from runs where parent_run_id = '" + run.path("id").asText() + "'"))
                .isZero();
        assertThat(eventsOfType(session, "subagent.started")).isEmpty();
        // (a result saying why, so the log stays a valid conversation for the session's next run: ADR 0018)
        assertThat(eventsOfType(session, "tool.result")).hasSize(MAX_FAN_OUT + 1).allSatisfy(result -> {
            assertThat(result.path("data").path("error").asBoolean()).isTrue();
            assertThat(result.path("data").path("unanswered").asText()).isEqualTo("team_fan_out_exceeded");
        });
        assertThat(types(session).getLast()).isEqualTo("run.failed");
    }

    @Test
    void theTeamStepsLimitCountsTheChildrensModelCallsAndStopsTheNextChild() throws Exception {
        // Given a supervisor whose first call starts a child that makes 48 model calls (47 tool turns and an
        // answer): with the supervisor's two, the team makes 50 model calls, the default limit
        String tag = tag();
        defineAgent("digger-" + tag, Map.of("tools", List.of("current_time"), "limits", Map.of("maxSteps", 100)));
        defineAgent("lead-" + tag, Map.of("subAgents", List.of("digger-" + tag)));
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "lead-" + tag, "jon");
        String subAgent = "agent__digger-" + tag;
        List<FakeReply> replies = new ArrayList<>();
        replies.add(new FakeReply.ToolCalls(List.of(new ToolCall("dig1", subAgent, "{\"input\":\"dig\"}")), null));
        IntStream.rangeClosed(1, MAX_TEAM_STEPS - 3).forEach(i -> replies.add(timeCall("c" + i)));
        replies.add(FakeReply.text("dug"));
        replies.add(new FakeReply.ToolCalls(List.of(new ToolCall("dig2", subAgent, "{\"input\":\"again\"}")), null));
        BerthTestResource.fake().enqueue(replies.toArray(FakeReply[]::new));

        // When a message is sent and the supervisor, resumed, asks for a second child
        JsonNode run = settled(Api.send(BerthTestResource.ADMIN_KEY, session, "Dig twice", 0).statusCode(202)
                .extract().path("id"));

        // Then the run fails with team_steps_exceeded and the second child was never started
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asText()).isEqualTo("team_steps_exceeded");
        assertThat(run.path("error").path("message").asText()).contains(MAX_TEAM_STEPS + " model calls");
        assertThat(BerthTestResource.fake().requests()).hasSize(MAX_TEAM_STEPS);
        assertThat(eventsOfType(session, "subagent.started")).hasSize(1);
        assertThat(count("select count(*) from runs where parent_run_id = '" + run.path("id").asText() + "'"))
                .isEqualTo(1);
        assertThat(eventsOfType(session, "tool.result")).filteredOn(e -> "dig2".equals(e.path("data").path("callId").asText()))
                .singleElement().satisfies(e -> assertThat(e.path("data").path("unanswered").asText())
                        .isEqualTo("team_steps_exceeded"));
    }

    @Test
    void aPausedRunsTimeLimitCountsFromItsResumptionNotItsStart() throws Exception {
        // Given an agent with a 30 s time limit and a client-side tool, and a run paused on that tool
        String tag = tag();
        defineAgent("patient-" + tag, Map.of("limits", Map.of("runTimeoutSeconds", 30),
                "clientTools", List.of(Map.of("name", "ask_user", "description", "Asks the user.",
                        "parameters", Map.of("type", "object", "properties", Map.of())))));
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "patient-" + tag, "kim");
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("ask1", "ask_user", "{}")), null),
                FakeReply.text("Thanks for waiting."));
        String runId = Api.send(BerthTestResource.ADMIN_KEY, session, "Ask me", 0).statusCode(202).extract().path("id");
        assertThat(settled(runId).path("status").asText()).isEqualTo("requires_action");

        // When the run waited an hour (its start moved an hour back; no clock is slept on) and the client answers
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.prepareStatement(
                "update runs set started_at = started_at - interval '1 hour' where id = ?::uuid")) {
            statement.setString(1, runId);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
        admin().body(Map.of("actions", List.of(Map.of("callId", "ask1", "output", "yes"))))
                .post("/v1/runs/" + runId + "/actions").then().statusCode(200);

        // Then the resumed run has its full 30 s and completes, where an hour since its start is far past them
        JsonNode done = settled(runId);
        assertThat(done.path("status").asText()).as("run %s", done).isEqualTo("completed");
        assertThat(done.path("output").asText()).isEqualTo("Thanks for waiting.");
    }

    private static FakeReply timeCall(String id) {
        return new FakeReply.ToolCalls(List.of(new ToolCall(id, "current_time", "{\"timeZone\":\"UTC\"}")), null);
    }

    private static void defineAgent(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("instructions", "You are a test agent.",
                "model", "test-model"));
        body.putAll(extra);
        admin().body(body).put("/v1/agents/" + name).then().statusCode(201);
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** The run once it is neither queued nor running (nor waiting for its children). */
    private static JsonNode settled(String runId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(admin().get("/v1/runs/" + runId).then().statusCode(200).extract().asString()),
                        body -> !List.of("queued", "running", "waiting").contains(body.path("status").asText()));
    }

    private static List<JsonNode> events(String session) throws Exception {
        JsonNode page = JSON.readTree(admin().get("/v1/sessions/" + session + "/events?limit=500")
                .then().statusCode(200).extract().asString());
        List<JsonNode> events = new ArrayList<>();
        page.path("items").forEach(events::add);
        return events;
    }

    private static List<String> types(String session) throws Exception {
        return events(session).stream().map(e -> e.path("type").asText()).toList();
    }

    private static List<JsonNode> eventsOfType(String session, String type) throws Exception {
        return events(session).stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    private static long count(String query) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
