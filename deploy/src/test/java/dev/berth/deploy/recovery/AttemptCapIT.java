package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cap on failed attempts across claims (ADR 0021), with real processes killed by SIGKILL
 * on one real PostgreSQL: a run whose step kills its process every time is not claimed again
 * for ever. The count is the run's, kept in the database, so it holds whichever process
 * claims the run next.
 */
class AttemptCapIT {
    private static final int MAX_ATTEMPTS = 2;
    /** Longer than the test: the model call of a killed attempt never answers before the kill. */
    private static final Duration NEVER = Duration.ofSeconds(60);
    private static Cluster cluster;

    @BeforeAll
    static void startThreeProcesses() throws Exception {
        cluster = Cluster.start(MAX_ATTEMPTS + 1, FakeOptions.defaults().withLatency(Duration.ofMillis(100)),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Map.of("BERTH_ENGINE_MAX_ATTEMPTS", "" + MAX_ATTEMPTS));
        cluster.client(0).defineAgent("doomed", "enqueue", List.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRunWhoseProcessDiesInEveryAttemptFailsOnceItsAttemptsAreUsedUp() throws Exception {
        // Given a run whose first two model calls never answer, and a third that would answer at once
        cluster.fake().enqueue(FakeReply.text("first").withLatency(NEVER), FakeReply.text("second").withLatency(NEVER),
                FakeReply.text("an answer from an attempt the cap should have prevented"));
        String session = cluster.client(0).openSession("doomed", "ida");
        BerthClient.Reply submitted = cluster.client(0).submit(session, "Do the thing that crashes you");
        assertThat(submitted.status()).as("submit answered %s", submitted.body()).isEqualTo(202);
        String run = submitted.text("id");

        // When the process running each attempt is killed in the middle of its model call, as often as the cap allows
        Set<String> killed = new HashSet<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            int calls = attempt;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> cluster.fake().requests().size() >= calls);
            String owner = cluster.runColumn(run, "lease_owner");
            assertThat(owner).as("attempt %d runs on a process not killed before", attempt).isNotIn(killed);
            // The unit of counting: each claim after a lease that expired under its owner adds one, in the database
            assertThat(cluster.runColumn(run, "failed_attempts")).isEqualTo(String.valueOf(attempt - 1));
            cluster.process(cluster.indexOf(owner)).kill();
            killed.add(owner);
        }

        // Then the next claim fails the run with the cap's error instead of running it a third time
        JsonNode settled = cluster.settled(run);
        assertThat(settled.path("status").asText()).isEqualTo("failed");
        assertThat(settled.path("error").path("code").asText()).isEqualTo("attempts_exhausted");
        List<JsonNode> failures = cluster.anyLiveClient().events(session).stream()
                .filter(e -> "run.failed".equals(e.path("type").asText())).toList();
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst().path("data").path("code").asText()).isEqualTo("attempts_exhausted");
        assertThat(failures.getFirst().path("data").path("message").asText())
                .contains(MAX_ATTEMPTS + " or more failed attempts").contains("process stopped");
        assertThat(cluster.fake().requests()).as("no model call after the attempts were used up").hasSize(MAX_ATTEMPTS);
        assertThat(cluster.runColumn(run, "failed_attempts")).isEqualTo(String.valueOf(MAX_ATTEMPTS));
        assertThat(cluster.runColumn(run, "lease_epoch")).isEqualTo(String.valueOf(MAX_ATTEMPTS + 1));
    }
}
