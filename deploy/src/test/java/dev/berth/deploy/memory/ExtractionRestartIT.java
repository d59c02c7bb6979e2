package dev.berth.deploy.memory;

import static dev.berth.deploy.ProcessBacking.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * An extraction job survives the death of the process working on it: Berth is killed in the
 * middle of the extraction's model call, and a new Berth on the same database claims the job
 * once its lease has expired and stores the memory.
 */
class ExtractionRestartIT {
    private static final Map<String, String> SHORT_LEASES = Map.of("BERTH_MEMORY_JOB_LEASE_TTL", "10s",
            "BERTH_MEMORY_JOB_POLL_INTERVAL", "200ms");
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
    void anExtractionJobCutShortByAKillIsDoneByTheNextProcess() {
        String answer = "{\"memories\":[{\"kind\":\"fact\",\"key\":\"pet\",\"content\":\"The user has a cat named Tom.\"}]}";
        try (BerthProcess first = backing.berth("extract-first", SHORT_LEASES).start()) {
            // Given a completed run whose extraction is under way when the process dies
            api(first).body(Map.of("instructions", "Be brief.", "model", "gpt-4o",
                            "memory", Map.of("extraction", List.of("facts"))))
                    .put("/v1/agents/keeper").then().statusCode(201);
            String session = api(first).body(Map.of("agent", "keeper", "actorId", "gina"))
                    .post("/v1/sessions").then().statusCode(201).extract().path("id");
            fake.enqueue(FakeReply.text("Nice cat."), FakeReply.text(answer).withLatency(Duration.ofSeconds(60)));
            api(first).body(Map.of("text", "I have a cat named Tom.")).post("/v1/sessions/" + session
                    + "/messages?wait=30").then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> fake.requests().stream()
                    .anyMatch(r -> r.has("response_format")));

            // When it is killed in the middle of the extraction's model call
            first.kill();
        }
        assertThat(fake.pendingReplies()).isZero();

        // Then a new process claims the job after its lease expired, and the memory is stored
        fake.enqueue(FakeReply.text(answer));
        try (BerthProcess second = backing.berth("extract-second", SHORT_LEASES).start()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> contents = api(second).get("/v1/memories?namespace=actors/gina").then().statusCode(200)
                        .extract().path("items.content");
                assertThat(contents).containsExactly("The user has a cat named Tom.");
            });
            long extractionCalls = fake.requests().stream().filter(r -> r.has("response_format")).count();
            assertThat(extractionCalls).as("the killed attempt and the successful one").isEqualTo(2);
        }
    }
}
