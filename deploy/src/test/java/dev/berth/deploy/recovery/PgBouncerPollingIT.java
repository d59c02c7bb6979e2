package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PgBouncer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth behind a real PgBouncer in transaction mode with <b>no direct URL</b>: Flyway runs through
 * the pooler, nothing LISTENs through it, and the change feed polls every
 * {@code berth.db.poll-interval} ({@link #POLL}) instead, saying so once at start (ADR 0026).
 * The engine's own claim poll is 10 minutes here, so a turn that is answered at all within
 * seconds was found and reported by the feed's polling.
 */
class PgBouncerPollingIT {
    static final Duration POLL = Duration.ofMillis(500);
    /**
     * The documented latency: a notified turn's (under {@link PgBouncerIT#PROMPT}) plus up to two
     * poll intervals, one for the claim and one for the answer to the waiting client.
     */
    static final Duration DOCUMENTED = PgBouncerIT.PROMPT.plus(POLL.multipliedBy(2));
    private static Cluster cluster;

    @BeforeAll
    static void startBehindPgBouncerWithoutADirectUrl() throws Exception {
        assumeTrue(PgBouncer.binary().isPresent(), "pgbouncer is not installed (apt-get install pgbouncer)");
        cluster = Cluster.behindPgBouncer(1, FakeOptions.defaults().withLatency(Duration.ofMillis(20)),
                Duration.ofMinutes(10), false, Map.of("BERTH_DB_POLL_INTERVAL", POLL.toMillis() + "ms"));
        cluster.client(0).defineAgent("clock", "enqueue", List.of("current_time"));
        // A first turn through the process's code paths, so that the timed ones measure waiting, not a cold JVM.
        String session = cluster.client(0).openSession("clock", "warm");
        cluster.client(0).run(cluster.client(0).submit(session, "What time is it? warm").text("id"), 30);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withoutADirectUrlBerthStartsWarnsOnceAndAnswersByPolling() throws Exception {
        // Given a process started behind the pooler without a direct URL (in @BeforeAll):
        // its schema was migrated through the pooler, and it said once why and how to fix it
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*), bool_and(success) from flyway_schema_history")) {
            rows.next();
            assertThat(rows.getInt(1)).isGreaterThan(5);
            assertThat(rows.getBoolean(2)).isTrue();
        }
        List<String> warnings = cluster.process(0).logLines().stream()
                .filter(line -> line.contains("Not listening for notifications")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst()).contains("WARN", "berth.db.direct-url (BERTH_DB_DIRECT_URL)");

        for (int i = 0; i < 3; i++) {
            // When a message is sent and the client waits for its run
            String session = cluster.client(0).openSession("clock", "dan" + i);
            long sent = System.nanoTime();
            String run = cluster.client(0).submit(session, "What time is it? " + i).text("id");
            JsonNode done = cluster.client(0).run(run, 30).body();
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            System.out.printf("PgBouncerPollingIT: ?wait of turn %d answered after %d ms%n", i, took.toMillis());

            // Then it is answered, with the tool's result, within the documented polling latency
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(took).as("?wait of turn %d", i).isLessThan(DOCUMENTED);
            assertThat(cluster.client(0).events(session)).extracting(e -> e.path("type").asText())
                    .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
        }
        // and nothing tried to LISTEN through the pooler
        assertThat(cluster.bouncer().log()).doesNotContain("when not linked");
    }
}
