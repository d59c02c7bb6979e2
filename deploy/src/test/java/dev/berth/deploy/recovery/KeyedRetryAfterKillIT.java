package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The duplicate the chaos run of issue 15 found, gone: a {@code ?wait} submission whose process
 * is killed (SIGKILL) after its commit, while the client waits for the answer, is retried by the
 * client on another process with the same {@code Idempotency-Key}, and gets the run the first
 * request created: one input event, one run (ADR 0024). Two processes on the test's own
 * PostgreSQL, a fake model slow enough (3 s) that the first request is still waiting when its
 * process dies.
 */
class KeyedRetryAfterKillIT {
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() throws Exception {
        cluster = Cluster.start(2, Duration.ofSeconds(3));
        cluster.client(0).defineAgent("patient", "enqueue", List.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRetryAfterTheProcessDiedBetweenCommitAndAnswerGetsTheSameRun() throws Exception {
        // Given a ?wait submission with a key, committed by p0, whose client still waits for the answer
        String session = cluster.client(0).openSession("patient", "olga");
        String key = "submit-" + UUID.randomUUID();
        Map<String, String> input = Map.of("text", "Are you there?");
        String path = "/v1/sessions/" + session + "/messages?wait=30";
        CompletableFuture<BerthClient.Reply> first = CompletableFuture.supplyAsync(() -> {
            try {
                return cluster.client(0).sendKeyed("POST", path, input, Duration.ofSeconds(60), key);
            } catch (IOException e) {
                return null; // the connection died with the process: the client does not know what happened
            }
        });
        await("the submission committed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("select count(*) from runs where session_id = '" + session + "'") == 1);
        String committedRun = single("select id::text from runs where session_id = '" + session + "'");
        assertThat(first).as("the first request still waits for its run").isNotDone();

        // When p0 is killed before it answers, and the client retries on p1 with the same key
        cluster.process(0).kill();
        assertThat(first.get()).as("the first request got no answer").isNull();
        BerthClient.Reply retry = cluster.client(1).sendKeyed("POST", path, input, Duration.ofSeconds(60), key);

        // Then the retry answers with the run the first request created, settled, marked as a replay
        assertThat(retry.status()).as(String.valueOf(retry.body())).isEqualTo(200);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.text("id")).isEqualTo(committedRun);
        assertThat(retry.text("status")).isEqualTo("completed");
        // and the session holds one input and one run
        assertThat(count("select count(*) from events where session_id = '" + session + "' and type = 'user.message'"))
                .isEqualTo(1);
        assertThat(count("select count(*) from runs where session_id = '" + session + "'")).isEqualTo(1);
    }

    private static long count(String query) throws SQLException {
        return Long.parseLong(single(query));
    }

    private static String single(String query) throws SQLException {
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
