package dev.berth.deploy.recovery;

import static dev.berth.deploy.ProcessBacking.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ToolCall;
import dev.berth.deploy.ProcessBacking;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.BerthProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run paused for a client-side tool and an approval lives in PostgreSQL only: every Berth
 * process is stopped (one killed with SIGKILL), new ones start on the same database, and the
 * answers sent to them resume the run. The answers go to two different processes.
 */
class PausedRunRestartIT {
    private static ProcessBacking backing;
    private static FakeModelServer fake;

    @BeforeAll
    static void startDependencies() {
        backing = ProcessBacking.start();
        fake = backing.fake();
    }

    @AfterAll
    static void stopDependencies() {
        backing.close();
    }

    @Test
    void aPausedRunSurvivesARestartOfEveryProcessAndResumesOnTheAnswers() throws Exception {
        // Given a run paused for a client-side tool and an approval, on a Berth that is then killed
        String session;
        String run;
        fake.enqueue(new FakeReply.ToolCalls(List.of(
                new ToolCall("r_time", "current_time", "{\"timeZone\":\"UTC\"}"),
                new ToolCall("r_loc", "get_location", "{}")), null));
        try (BerthProcess first = backing.berth("paused-first", Map.of()).start()) {
            api(first).body(Map.of("instructions", "Use tools.", "model", "m", "tools", List.of("current_time"),
                            "approvalRequired", List.of("current_time"),
                            "clientTools", List.of(Map.of("name", "get_location", "description", "Where the user is.",
                                    "parameters", Map.of("type", "object", "properties", Map.of())))))
                    .put("/v1/agents/pauser").then().statusCode(201);
            session = api(first).body(Map.of("agent", "pauser", "actorId", "pat"))
                    .post("/v1/sessions").then().statusCode(201).extract().path("id");
            run = api(first).body(Map.of("text", "what time is it here"))
                    .post("/v1/sessions/" + session + "/messages?wait=30").then().statusCode(200)
                    .body("status", equalTo("requires_action")).extract().path("id");
            first.kill();
        }

        // When two new processes start on the same database
        fake.enqueue(FakeReply.text("It is late in Oslo."));
        try (BerthProcess second = backing.berth("paused-second", Map.of()).start();
                BerthProcess third = backing.berth("paused-third", Map.of()).start()) {
            // Then the run still waits for both calls
            JsonNode waiting = api(second).get("/v1/runs/" + run).then().statusCode(200).extract().as(JsonNode.class);
            assertThat(waiting.get("status").asText()).isEqualTo("requires_action");
            assertThat(waiting.at("/requiredAction/calls").findValuesAsText("callId")).containsExactly("r_time", "r_loc");

            // When one process gets the client's output and the other the approval, while a client follows the stream
            String finalRun = run;
            List<SseReader.Received> streamed = SseReader.read(third.baseUrl(), session, 0L, () -> {
                api(second).body(Map.of("actions", List.of(Map.of("callId", "r_loc", "output", "Oslo"))))
                        .post("/v1/runs/" + finalRun + "/actions").then().statusCode(200)
                        .body("status", equalTo("requires_action"));
                api(third).body(Map.of("actions", List.of(Map.of("callId", "r_time", "approve", true))))
                        .post("/v1/runs/" + finalRun + "/actions").then().statusCode(200);
            }, received -> received.stream().anyMatch(event -> "run.resumed".equals(event.name()))
                    && "assistant.message".equals(received.get(received.size() - 1).name()), Duration.ofSeconds(60));
            // Then the stream carried the pause, the answers and the resumption
            assertThat(streamed).extracting(SseReader.Received::name).containsSubsequence("approval.requested",
                    "run.requires_action", "tool.result", "approval.decision", "run.resumed", "assistant.message");

            // Then the run completes, with the approved call executed and the client's output read by the model
            api(second).get("/v1/runs/" + run + "?wait=30").then().statusCode(200)
                    .body("status", equalTo("completed")).body("output", equalTo("It is late in Oslo."));
            List<String> types = api(third).get("/v1/sessions/" + session + "/events").then().statusCode(200)
                    .extract().path("items.type");
            assertThat(types).containsExactly("user.message", "assistant.message", "approval.requested",
                    "run.requires_action", "tool.result", "approval.decision", "run.resumed", "tool.result",
                    "assistant.message");
            JsonNode messages = fake.requests().get(fake.requests().size() - 1).get("messages");
            assertThat(messages.toString()).contains("\"tool_call_id\":\"r_loc\"").contains("Oslo")
                    .contains("\"tool_call_id\":\"r_time\"");
        }
    }
}
