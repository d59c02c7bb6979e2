package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.PgBouncer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Berth processes behind a real PgBouncer in transaction mode ({@code BERTH_DB_POOLER=transaction},
 * {@code BERTH_DB_URL} on the pooler, {@code BERTH_DB_DIRECT_URL} on PostgreSQL), as on Azure
 * Database for PostgreSQL Flexible Server (6432 pooled, 5432 direct). The pooler keeps 5 server
 * connections for 2 pools of 20, so consecutive transactions of one Berth connection really run
 * on different server connections.
 *
 * <p>What isolates the mechanisms: without the prepared-statement switches the processes do not
 * start ("prepared statement ... already exists"); the processes look for claimable runs only
 * every {@link #POLL} and a {@code ?wait} re-reads its run only every 10 s without a notification,
 * so a turn answered well under a second proves the notifications arrive, which they cannot
 * through the pooler (ADR 0026).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBouncerIT {
    /** Claim poll: a takeover after a lease expiry needs it; anything faster needs a notification. */
    static final Duration POLL = Duration.ofSeconds(3);
    /** What "promptly" means: a notified turn takes a few tens of milliseconds here. */
    static final Duration PROMPT = Duration.ofMillis(1000);
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcessesBehindPgBouncer() throws Exception {
        assumeTrue(PgBouncer.binary().isPresent(), "pgbouncer is not installed (apt-get install pgbouncer)");
        cluster = Cluster.behindPgBouncer(2, FakeOptions.defaults().withLatency(Duration.ofMillis(20)), POLL, true,
                Map.of());
        cluster.client(0).defineAgent("clock", "enqueue", List.of("current_time"));
        // A first turn through each process's code paths, so that the timed ones measure waiting, not a cold JVM.
        for (int i = 0; i < 4; i++) {
            String session = cluster.client(i % 2).openSession("clock", "warm" + i);
            cluster.client(1 - i % 2).run(accepted(cluster.client(i % 2).submit(session, "What time is it? warm")), 30);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(0)
    void berthStartsBehindThePoolerWithItsSchemaMigratedOverTheDirectUrl() throws Exception {
        // Given two processes started behind the pooler (in @BeforeAll)
        // Then Flyway ran to the end, both serve, and their clients logged in through PgBouncer
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*), bool_and(success) from flyway_schema_history")) {
            rows.next();
            assertThat(rows.getInt(1)).isGreaterThan(5);
            assertThat(rows.getBoolean(2)).isTrue();
        }
        assertThat(cluster.client(0).readiness().status()).isEqualTo(200);
        assertThat(cluster.client(1).readiness().status()).isEqualTo(200);
        assertThat(cluster.bouncer().log()).contains("login attempt");
    }

    @Test
    @Order(1)
    void aTurnWithAToolIsAnsweredPromptlyToAWaitingClientOfEitherProcess() throws Exception {
        for (int i = 0; i < 4; i++) {
            // Given a session
            String session = cluster.client(i % 2).openSession("clock", "ada" + i);

            // When a message is sent and the client waits for the run on the other process
            long sent = System.nanoTime();
            String run = accepted(cluster.client(i % 2).submit(session, "What time is it? " + i));
            JsonNode done = cluster.client(1 - i % 2).run(run, 30).body();
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            System.out.printf("PgBouncerIT: ?wait of turn %d answered after %d ms%n", i, took.toMillis());

            // Then it is answered with the tool's result, well under a second after it was sent
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(took).as("?wait of turn %d", i).isLessThan(PROMPT);
            assertThat(cluster.client(0).events(session)).extracting(e -> e.path("type").asText())
                    .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
        }
    }

    @Test
    @Order(2)
    void aStreamOnTheOtherProcessDeliversTheTurnPromptly() throws Exception {
        // Given a client following a session on process 1
        String session = cluster.client(0).openSession("clock", "bea");
        long[] sent = new long[1];

        // When a message is sent through process 0 once the stream is open
        List<SseReader.Received> got = SseReader.read(cluster.process(1).baseUrl(), session, null, () -> {
            sent[0] = System.nanoTime();
            submitQuietly(session, "What time is it? streamed");
        }, received -> received.size() >= 4, Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - sent[0]);
        System.out.printf("PgBouncerIT: the streamed turn arrived after %d ms%n", took.toMillis());

        // Then every event of the turn arrives, in order, well under a second after the message was sent
        assertThat(got).extracting(SseReader.Received::name)
                .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
        assertThat(took).isLessThan(PROMPT);
    }

    @Test
    @Order(3)
    void aRunWhoseProcessIsKilledIsTakenOverBehindThePooler() throws Exception {
        // Given a run in a slow model call on one process
        String session = cluster.client(0).openSession("clock", "cleo");
        cluster.fake().reset(); // (so that the model's requests counted below are this run's)
        cluster.fake().enqueue(FakeReply.text("never seen").withLatency(Duration.ofSeconds(30)));
        String run = accepted(cluster.client(0).submit(session, "What time is it? taken over"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.fake().requests().size() >= 1);
        int owner = cluster.indexOf(cluster.runColumn(run, "lease_owner"));

        // When that process is killed
        cluster.process(owner).kill();

        // Then the other process takes the run over once the lease expires, and completes it
        JsonNode done = cluster.settled(run);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(cluster.runColumn(run, "lease_epoch")).isEqualTo("2");
        assertThat(toolCallOwners(run)).as("owner and epoch of the tool call").containsExactly("p" + (1 - owner) + ":2");
        assertThat(cluster.client(1 - owner).events(session)).extracting(e -> e.path("type").asText())
                .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
    }

    /** Lease owner and epoch of each recorded start of the run's tool calls, as "owner:epoch". */
    private static List<String> toolCallOwners(String run) throws Exception {
        try (Connection sql = cluster.sql(); var statement = sql.prepareStatement(
                "select lease_owner || ':' || lease_epoch from tool_calls where run_id = ?::uuid order by attempt")) {
            statement.setString(1, run);
            List<String> owners = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
            return owners;
        }
    }

    private static String accepted(BerthClient.Reply reply) {
        assertThat(reply.status()).as("submit answered %s", reply.body()).isEqualTo(202);
        return reply.text("id");
    }

    private static void submitQuietly(String session, String text) {
        try {
            accepted(cluster.client(0).submit(session, text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
