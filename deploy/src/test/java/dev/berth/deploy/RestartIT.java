package dev.berth.deploy;

import static dev.berth.deploy.ProcessBacking.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.berth.model.fake.FakeModelServer;
import dev.berth.testsupport.BerthProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stop Berth and start it again on the same database: the session, its events and a run
 * that was still queued are all there, and the run completes.
 */
class RestartIT {
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
    void aQueuedRunSurvivesARestartAndCompletes() {
        // Given a Berth that accepts input but executes no runs, holding a session with a queued run
        String session;
        String run;
        try (BerthProcess first = backing.berth("restart-first", Map.of("BERTH_ENGINE_ENABLED", "false")).start()) {
            api(first).body(Map.of("instructions", "Tell the time.", "model", "m", "tools", List.of("current_time")))
                    .put("/v1/agents/clock").then().statusCode(201);
            session = api(first).body(Map.of("agent", "clock", "actorId", "erin"))
                    .post("/v1/sessions").then().statusCode(201).extract().path("id");
            run = api(first).body(Map.of("text", "what time is it"))
                    .post("/v1/sessions/" + session + "/messages").then().statusCode(202)
                    .body("status", equalTo("queued")).extract().path("id");

            // When it is stopped
            first.stop();
        }

        // and a new Berth starts on the same database
        try (BerthProcess second = backing.berth("restart-second", Map.of()).start()) {
            // Then the session and its input are still there, and the queued run completes
            api(second).get("/v1/sessions/" + session).then().statusCode(200).body("actorId", equalTo("erin"));
            api(second).get("/v1/runs/" + run + "?wait=30").then().statusCode(200)
                    .body("status", equalTo("completed"));
            List<String> types = api(second).get("/v1/sessions/" + session + "/events").then().statusCode(200)
                    .extract().path("items.type");
            assertThat(types).containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
            List<Integer> seqs = api(second).get("/v1/sessions/" + session + "/events").then().extract()
                    .path("items.seq");
            assertThat(seqs).containsExactly(1, 2, 3, 4);
        }
    }
}
