package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs that pause for results from outside, through the HTTP API: client-side tools answered
 * later, approvals granted and denied, mixed turns, and answers that are refused.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class RunActionsTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final Map<String, Object> LOCATION_TOOL = Map.of("name", "get_location",
            "description", "The user's location, from their device.",
            "parameters", Map.of("type", "object",
                    "properties", Map.of("precision", Map.of("type", "string", "enum", List.of("city", "street"))),
                    "required", List.of("precision")));

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aClientSideToolPausesTheRunUntilTheClientSendsItsOutput() throws Exception {
        // Given an agent with a client-side tool that the model calls
        String session = ToolsApi.sessionWithAgent(Map.of("clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_loc", "get_location",
                "{\"precision\":\"city\"}")), null), FakeReply.text("You are in Lyon."));

        // When the run reaches the call
        JsonNode paused = ToolsApi.sendAndWait(session, "Where am I?");

        // Then it requires action, lists the call, holds no lease and calls the model no more
        assertThat(paused.get("status").asText()).isEqualTo("requires_action");
        JsonNode call = paused.at("/requiredAction/calls/0");
        assertThat(call.get("callId").asText()).isEqualTo("call_loc");
        assertThat(call.get("kind").asText()).isEqualTo("client_tool");
        assertThat(call.get("name").asText()).isEqualTo("get_location");
        assertThat(call.get("arguments").asText()).isEqualTo("{\"precision\":\"city\"}");
        String runId = paused.get("id").asText();
        assertThat(leaseOwner(runId)).isNull();
        assertThat(ToolsApi.offeredTool(0, "get_location").at("/parameters/required/0").asText()).isEqualTo("precision");
        assertThat(types(session)).containsExactly("user.message", "assistant.message", "run.requires_action");
        assertThat(ToolsApi.eventsOfType(session, "run.requires_action").get(0).at("/calls/0/callId").asText())
                .isEqualTo("call_loc");
        assertThat(BerthTestResource.fake().requests()).hasSize(1);

        // When the client sends the output
        JsonNode answered = answer(runId, List.of(Map.of("callId", "call_loc", "output", "Lyon, France")))
                .statusCode(200).extract().as(JsonNode.class);

        // Then the output is a tool result, the run resumes, and the model reads the output
        assertThat(answered.get("status").asText()).isIn("queued", "running", "completed");
        JsonNode done = ToolsApi.run(runId, 30);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("output").asText()).isEqualTo("You are in Lyon.");
        assertThat(done.get("requiredAction").isNull()).isTrue();
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("output").asText()).isEqualTo("Lyon, France");
        assertThat(result.get("source").asText()).isEqualTo("client");
        assertThat(types(session)).containsExactly("user.message", "assistant.message", "run.requires_action",
                "tool.result", "run.resumed", "assistant.message");
        JsonNode lastRead = ToolsApi.lastMessageOfModelCall(1);
        assertThat(lastRead.get("role").asText()).isEqualTo("tool");
        assertThat(lastRead.get("tool_call_id").asText()).isEqualTo("call_loc");
        assertThat(lastRead.get("content").asText()).isEqualTo("Lyon, France");
    }

    @Test
    void anApprovedCallIsExecutedByTheWorkerThatResumesTheRun() throws Exception {
        // Given a server-side tool that needs approval
        String session = ToolsApi.sessionWithAgent(Map.of("tools", List.of("checked_add"),
                "approvalRequired", List.of("checked_add")));
        int callsBefore = FlakyTools.ADD_CALLS.get();
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_add", "checked_add",
                "{\"a\":2,\"b\":3}")), null), FakeReply.text("2 + 3 = 5"));

        // When the model calls it, the run waits for a decision and the tool has not run
        JsonNode paused = ToolsApi.sendAndWait(session, "Add 2 and 3");
        assertThat(paused.get("status").asText()).isEqualTo("requires_action");
        assertThat(paused.at("/requiredAction/calls/0/kind").asText()).isEqualTo("approval");
        assertThat(FlakyTools.ADD_CALLS.get()).isEqualTo(callsBefore);
        JsonNode request = ToolsApi.eventsOfType(session, "approval.requested").get(0);
        assertThat(request.get("callId").asText()).isEqualTo("call_add");
        assertThat(request.get("arguments").asText()).isEqualTo("{\"a\":2,\"b\":3}");

        // When a human approves
        String runId = paused.get("id").asText();
        answer(runId, List.of(Map.of("callId", "call_add", "approve", true, "reason", "fine")))
                .statusCode(200);

        // Then the call runs once, the decision is recorded, and the run completes
        assertThat(ToolsApi.run(runId, 30).get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.ADD_CALLS.get()).isEqualTo(callsBefore + 1);
        JsonNode decision = ToolsApi.eventsOfType(session, "approval.decision").get(0);
        assertThat(decision.get("approved").asBoolean()).isTrue();
        assertThat(decision.get("reason").asText()).isEqualTo("fine");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("output").asText()).isEqualTo("5");
        assertThat(result.get("idempotencyKey").asText()).isEqualTo(runId + ":call_add");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).isEqualTo("5");
    }

    @Test
    void aDeniedCallIsNotExecutedAndTheModelReadsTheDenialWithItsReason() throws Exception {
        String session = ToolsApi.sessionWithAgent(Map.of("tools", List.of("checked_add"),
                "approvalRequired", List.of("checked_add")));
        int callsBefore = FlakyTools.ADD_CALLS.get();
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_no", "checked_add",
                "{\"a\":1,\"b\":1}")), null), FakeReply.text("I was not allowed to add."));
        String runId = ToolsApi.sendAndWait(session, "Add 1 and 1").get("id").asText();

        answer(runId, List.of(Map.of("callId", "call_no", "approve", false, "reason", "not on a Sunday")))
                .statusCode(200);

        assertThat(ToolsApi.run(runId, 30).get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.ADD_CALLS.get()).isEqualTo(callsBefore);
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("denied").asBoolean()).isTrue();
        assertThat(result.get("error").asBoolean()).isTrue();
        String read = ToolsApi.lastMessageOfModelCall(1).get("content").asText();
        assertThat(read).contains("denied").contains("not on a Sunday").contains("checked_add");
        assertThat(ToolsApi.eventsOfType(session, "approval.decision").get(0).get("approved").asBoolean()).isFalse();
    }

    @Test
    void aMixedTurnRunsWhatItCanAndPausesForTheRestUntilEverythingIsAnswered() throws Exception {
        // Given one call Berth runs, one that needs approval and one the client runs, in one turn
        String session = ToolsApi.sessionWithAgent(Map.of("tools", List.of("checked_add", "shout"),
                "approvalRequired", List.of("checked_add"), "clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(
                        new ToolCall("m_time", "shout", "{\"text\":\"now\"}"),
                        new ToolCall("m_add", "checked_add", "{\"a\":4,\"b\":4}"),
                        new ToolCall("m_loc", "get_location", "{\"precision\":\"street\"}")), null),
                FakeReply.text("All three answered."));

        // When the run pauses
        JsonNode paused = ToolsApi.sendAndWait(session, "Time, sum and place");

        // Then the time was taken already, and both other calls are awaited
        assertThat(paused.get("status").asText()).isEqualTo("requires_action");
        assertThat(paused.at("/requiredAction/calls").findValuesAsText("callId")).containsExactly("m_add", "m_loc");
        assertThat(ToolsApi.eventsOfType(session, "tool.result")).extracting(r -> r.get("callId").asText())
                .containsExactly("m_time");
        String runId = paused.get("id").asText();

        // When only the location is answered, the run still waits, for the approval only
        JsonNode partly = answer(runId, List.of(Map.of("callId", "m_loc", "output", "Rue de la Paix")))
                .statusCode(200).extract().as(JsonNode.class);
        assertThat(partly.get("status").asText()).isEqualTo("requires_action");
        assertThat(partly.at("/requiredAction/calls").findValuesAsText("callId")).containsExactly("m_add");
        assertThat(BerthTestResource.fake().requests()).hasSize(1);

        // When the approval comes too, the run resumes and the model reads all three results
        answer(runId, List.of(Map.of("callId", "m_add", "approve", true))).statusCode(200);
        assertThat(ToolsApi.run(runId, 30).get("status").asText()).isEqualTo("completed");
        JsonNode messages = BerthTestResource.fake().requests().get(1).get("messages");
        List<String> toolMessages = new ArrayList<>();
        messages.forEach(m -> {
            if ("tool".equals(m.get("role").asText())) {
                toolMessages.add(m.get("tool_call_id").asText() + "=" + m.get("content").asText());
            }
        });
        assertThat(toolMessages).hasSize(3).contains("m_add=8", "m_loc=Rue de la Paix")
                .contains("m_time=NOW");
    }

    @Test
    void badAnswersAreRefusedAndChangeNothing() throws Exception {
        // Given a run waiting for a client-side tool and an approval
        String session = ToolsApi.sessionWithAgent(Map.of("tools", List.of("checked_add"),
                "approvalRequired", List.of("checked_add"), "clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(
                new ToolCall("b_add", "checked_add", "{\"a\":1,\"b\":2}"),
                new ToolCall("b_loc", "get_location", "{\"precision\":\"city\"}")), null));
        String runId = ToolsApi.sendAndWait(session, "Sum and place").get("id").asText();

        // Then every kind of wrong answer is refused, and nothing about the run changes
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "nope", "output", "x"))), 400, "validation");
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_loc", "approve", true))), 400, "validation");
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_add", "output", "3"))), 400, "validation");
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_loc"))), 400, "validation");
        refused(runId, () -> answer(runId, List.of()), 400, "validation");
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_loc", "output", "a"),
                Map.of("callId", "b_loc", "output", "b"))), 400, "validation");
        // One good answer beside a bad one: all or nothing
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_loc", "output", "Paris"),
                Map.of("callId", "ghost", "approve", true))), 400, "validation");
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_add", "approve", "maybe"))), 400,
                "validation");
        refused(runId, () -> ToolsApi.admin().body("{\"actions\" [").post("/v1/runs/" + runId + "/actions").then(),
                400, "malformed-json");
        refused(runId, () -> answer("00000000-0000-0000-0000-000000000000",
                List.of(Map.of("callId", "b_loc", "output", "x"))), 404, "not-found");

        // A call answered once cannot be answered again
        answer(runId, List.of(Map.of("callId", "b_loc", "output", "Paris"))).statusCode(200);
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_loc", "output", "Rome"))), 409,
                "action-already-answered");

        // A run that is not waiting takes no answers
        ToolsApi.admin().post("/v1/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        refused(runId, () -> answer(runId, List.of(Map.of("callId", "b_add", "approve", true))), 409,
                "run-not-waiting");
    }

    @Test
    void concurrentAnswersToOneCallAreAppliedOnce() throws Exception {
        String session = ToolsApi.sessionWithAgent(Map.of("clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("c_loc", "get_location",
                "{\"precision\":\"city\"}")), null), FakeReply.text("Answered once."));
        String runId = ToolsApi.sendAndWait(session, "Where?").get("id").asText();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String place = "place-" + i;
                Callable<Integer> post = () -> answer(runId, List.of(Map.of("callId", "c_loc", "output", place)))
                        .extract().statusCode();
                statuses.add(pool.submit(post));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get());
            }
            assertThat(codes).containsOnly(200, 409).filteredOn(code -> code == 200).hasSize(1);
        } finally {
            pool.shutdown();
        }
        assertThat(ToolsApi.run(runId, 30).get("status").asText()).isEqualTo("completed");
        assertThat(ToolsApi.eventsOfType(session, "tool.result")).hasSize(1);
        assertThat(ToolsApi.eventsOfType(session, "run.resumed")).hasSize(1);
    }

    private static ValidatableResponse answer(String runId, List<Map<String, Object>> actions) {
        return ToolsApi.admin().body(Map.of("actions", actions)).post("/v1/runs/" + runId + "/actions").then();
    }

    private static void refused(String runId, Supplier<ValidatableResponse> request, int status, String type)
            throws Exception {
        String before = snapshot(runId);
        request.get().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(PROBLEMS + type));
        assertThat(snapshot(runId)).as("the run, its waits and its events after a refused answer").isEqualTo(before);
    }

    private static List<String> types(String session) throws Exception {
        return ToolsApi.events(session).stream().map(e -> e.get("type").asText()).toList();
    }

    /** Everything an answer could change: the run row, its waits, and the session's events. */
    private static String snapshot(String runId) throws Exception {
        try (Connection connection = BerthTestResource.database().connect();
                ResultSet rows = connection.createStatement().executeQuery("""
                        select r.status, r.pending_tools::text, r.resumed_at, r.updated_at,
                               (select string_agg(wait_key || ':' || coalesce(answer::text, '-'), ',' order by wait_key)
                                  from run_waits w where w.run_id = r.id),
                               (select count(*) from events e where e.session_id = r.session_id),
                               (select last_seq from sessions s where s.id = r.session_id)
                          from runs r where r.id = '%s'""".formatted(runId))) {
            rows.next();
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= 7; i++) {
                row.append(rows.getString(i)).append('|');
            }
            return row.toString();
        }
    }

    private static String leaseOwner(String runId) throws Exception {
        try (Connection connection = BerthTestResource.database().connect();
                ResultSet rows = connection.createStatement().executeQuery(
                        "select lease_owner from runs where id = '" + runId + "'")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
