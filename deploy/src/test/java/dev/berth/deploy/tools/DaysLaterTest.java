package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs paused for a human across days: an approval answered three days later, the run's time
 * limit counted from the resumption and not from the start, and a session that expires days
 * later with a run still waiting.
 *
 * <p>How time is faked: {@link ElapsedDays} moves every timestamp of the session's rows back
 * by the days that pass. PostgreSQL's {@code now()} is Berth's clock for what it stores (when
 * a run paused, resumed, when a session expires), and the engine counts a run's deadline from
 * the stored start or resumption, so for Berth the days have passed. Nothing else is faked:
 * the model, the tool, the sweeper and the engine run as in production.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class DaysLaterTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final Duration THREE_DAYS = Duration.ofDays(3);
    private static final List<FakeReply> ADD_THEN_ANSWER = List.of(new FakeReply.ToolCalls(List.of(
            new ToolCall("call_add", "checked_add", "{\"a\":2,\"b\":3}")), null), FakeReply.text("2 + 3 = 5"));

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void anApprovalAnsweredThreeDaysLaterResumesTheRun() throws Exception {
        // Given a run of a 5-day session waiting for the approval of a tool call; the run may take 60 s
        String session = sessionWithApprovals(60, Duration.ofDays(5));
        BerthTestResource.fake().enqueue(ADD_THEN_ANSWER.toArray(FakeReply[]::new));
        String runId = pausedRun(session, "Add 2 and 3");
        int callsBefore = FlakyTools.ADD_CALLS.get();

        // When three days pass and then a human approves
        ElapsedDays.pass(session, THREE_DAYS);
        answer(runId, true).statusCode(200);

        // Then the run resumes now, executes the call once and completes with the model's answer
        JsonNode done = ToolsApi.run(runId, 30);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("output").asText()).isEqualTo("2 + 3 = 5");
        assertThat(FlakyTools.ADD_CALLS.get()).isEqualTo(callsBefore + 1);
        assertThat(ToolsApi.toolResult(session).get("output").asText()).isEqualTo("5");
        Instant started = ElapsedDays.runTime(runId, "started_at");
        Instant resumed = ElapsedDays.runTime(runId, "resumed_at");
        assertThat(Duration.between(started, resumed)).isGreaterThan(THREE_DAYS);
        assertThat(ToolsApi.eventsOfType(session, "approval.decision").getFirst().get("approved").asBoolean()).isTrue();
        // and the session, two days from its end, is still active
        ToolsApi.admin().get("/v1/sessions/" + session).then().statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void aPausedRunsTimeLimitCountsFromItsResumption() throws Exception {
        // Given a run that may take 3 s, paused for an approval, and a model that answers after 20 s
        String session = sessionWithApprovals(3, null);
        BerthTestResource.fake().enqueue(ADD_THEN_ANSWER.getFirst(),
                FakeReply.text("too late").withLatency(Duration.ofSeconds(20)));
        String runId = pausedRun(session, "Add 2 and 3");

        // When it is approved three days later
        ElapsedDays.pass(session, THREE_DAYS);
        answer(runId, true).statusCode(200);

        // Then it runs again, for its 3 s from the resumption (not from its start, days ago), and times out
        JsonNode failed = ToolsApi.run(runId, 30);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("run_timeout");
        assertThat(ToolsApi.toolResult(session).get("output").asText()).as("the call ran after the approval")
                .isEqualTo("5");
        Instant resumed = ElapsedDays.runTime(runId, "resumed_at");
        Duration ran = Duration.between(resumed, ElapsedDays.runTime(runId, "finished_at"));
        assertThat(ran).as("from resumption to the timeout").isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
    }

    @Test
    void aSessionExpiresDaysLaterWithTheRunThatStillWaits() throws Exception {
        // Given a 5-day session whose first approval came after three days, and a second run waiting for one
        String session = sessionWithApprovals(60, Duration.ofDays(5));
        BerthTestResource.fake().enqueue(ADD_THEN_ANSWER.toArray(FakeReply[]::new));
        String first = pausedRun(session, "Add 2 and 3");
        ElapsedDays.pass(session, THREE_DAYS);
        answer(first, true).statusCode(200);
        assertThat(ToolsApi.run(first, 30).get("status").asText()).isEqualTo("completed");
        BerthTestResource.fake().enqueue(ADD_THEN_ANSWER.toArray(FakeReply[]::new));
        String second = pausedRun(session, "Add 2 and 3 again");

        // When three more days pass, a day beyond the session's end
        ElapsedDays.pass(session, THREE_DAYS);

        // Then the sweeper expires the session and its waiting run
        await("the session expired by the sweeper").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "expired".equals(ToolsApi.admin().get("/v1/sessions/" + session).then().statusCode(200)
                        .extract().path("status")));
        assertThat(ToolsApi.run(second, 0).get("status").asText()).isEqualTo("expired");
        // and an approval that comes now, or new input, is refused with a problem
        answer(second, true).statusCode(409).body("type", equalTo(PROBLEMS + "run-not-waiting"));
        ToolsApi.admin().body(Map.of("text", "Still there?")).post("/v1/sessions/" + session + "/messages").then()
                .statusCode(409).body("type", equalTo(PROBLEMS + "session-expired"));
        assertThat(ToolsApi.eventsOfType(session, "run.resumed")).as("resumptions: the first run's only").hasSize(1);
    }

    /** An agent whose {@code checked_add} needs approval, runs limited to {@code runTimeoutSeconds}; a session with it. */
    private static String sessionWithApprovals(int runTimeoutSeconds, Duration ttl) {
        String agent = "days-" + UUID.randomUUID().toString().substring(0, 8);
        ToolsApi.admin().body(Map.of("instructions", "You add.", "model", "test-model", "tools", List.of("checked_add"),
                "approvalRequired", List.of("checked_add"), "limits", Map.of("runTimeoutSeconds", runTimeoutSeconds)))
                .put("/v1/agents/" + agent).then().statusCode(201);
        Map<String, Object> session = ttl == null ? Map.of("agent", agent, "actorId", "patient")
                : Map.of("agent", agent, "actorId", "patient", "ttlSeconds", ttl.toSeconds());
        return ToolsApi.admin().body(session).post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    private static String pausedRun(String session, String text) throws Exception {
        JsonNode paused = ToolsApi.sendAndWait(session, text);
        assertThat(paused.get("status").asText()).isEqualTo("requires_action");
        assertThat(paused.at("/requiredAction/calls/0/kind").asText()).isEqualTo("approval");
        return paused.get("id").asText();
    }

    private static ValidatableResponse answer(String runId, boolean approve) {
        return ToolsApi.admin().body(Map.of("actions", List.of(Map.of("callId", "call_add", "approve", approve))))
                .post("/v1/runs/" + runId + "/actions").then();
    }
}
