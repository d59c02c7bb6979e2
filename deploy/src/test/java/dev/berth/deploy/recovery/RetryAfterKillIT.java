package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tool call whose result a SIGKILL cut short is executed again by the process that takes the
 * run over, with the same idempotency key, and marked as a retry (guarantee 3 in
 * docs/recovery.md). Two processes with short leases (3 s) on the test's own PostgreSQL, so
 * the takeover is a real lease expiry, not one the test forges.
 *
 * <p>How the result is cut short: PostgreSQL checks every 200 ms whether a backend's client is
 * still connected ({@code client_connection_check_interval}, set on the test's own server), and
 * a trigger holds the first insert of the tool result until then. The owner's statement can only
 * fail because its process died: without the kill, the insert stays held and the run does not
 * settle, so the test fails. The retry is then proved to come from the other process, under a
 * higher lease epoch, from {@code tool_calls} (each start is recorded with its owner and epoch).
 */
class RetryAfterKillIT {
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() throws Exception {
        cluster = Cluster.start(2, Duration.ofMillis(300));
        cluster.client(0).defineAgent("clock", "enqueue", List.of("current_time"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aToolCallCutShortByAKillIsExecutedAgainWithTheSameKeyAndMarkedAsARetry() throws Exception {
        // Given a server that notices dead clients, and a trigger that holds the first commit of a
        // tool result (the tool has run, its start is recorded) until its client is gone
        int owner = -1;
        try {
            execute("alter system set client_connection_check_interval = '200ms'", "select pg_reload_conf()", """
                    create or replace function hold_first_result() returns trigger language plpgsql as $$
                    begin
                        -- Bounded, so that a test without the kill fails (the run never settles) rather than hangs.
                        for i in 1..3000 loop perform pg_sleep(0.1); end loop;
                        raise exception 'test: the owner of the first tool result was never killed';
                    end $$""", """
                    create trigger hold_first_result before insert on events for each row
                    when (new.type = 'tool.result' and (new.payload->>'attempt')::int = 1)
                    execute function hold_first_result()""");
            // (the reload reaches each pooled connection before its next statement)
            String session = cluster.client(0).openSession("clock", "nora", "enqueue");
            String run = accepted(cluster.client(0).submit(session, "What time is it? retried"));
            await("the first tool result held in its commit").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> heldInserts() == 1);
            owner = cluster.indexOf(cluster.runColumn(run, "lease_owner"));
            long firstEpoch = Long.parseLong(cluster.runColumn(run, "lease_epoch"));

            // When the owner is killed while its tool result is being committed
            cluster.process(owner).kill();

            // Then the server aborts the dead client's commit (only a dead owner ends it),
            await("the held commit of the first result aborted because its client died").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> heldInserts() == 0);
            // and the other process takes the run over under a higher epoch, executes the call
            // again with the same key, and says it is a retry
            JsonNode done = cluster.settled(run);
            assertThat(done.path("status").asText()).isEqualTo("completed");
            List<JsonNode> events = cluster.client(1 - owner).events(session);
            assertThat(events).extracting(e -> e.path("type").asText())
                    .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
            JsonNode result = events.get(2).path("data");
            String key = run + ":" + result.path("callId").asText();
            assertThat(result.path("idempotencyKey").asText()).isEqualTo(key);
            assertThat(result.path("attempt").asInt()).isEqualTo(2);
            assertThat(result.path("retry").asBoolean()).isTrue();
            assertThat(cluster.toolStarts(run)).containsExactly("1:" + key, "2:" + key);
            List<String[]> starts = startOwners(run);
            assertThat(starts).as("starts of the call").hasSize(2);
            assertThat(starts.get(0)).as("first start: owner, epoch").containsExactly("p" + owner, "" + firstEpoch);
            assertThat(starts.get(1)[0]).as("the retry's process").isEqualTo("p" + (1 - owner));
            assertThat(Long.parseLong(starts.get(1)[1])).as("the retry's lease epoch").isGreaterThan(firstEpoch);
        } finally {
            // A statement still held (the owner survived: the test failed) would block the drop.
            execute("select pg_terminate_backend(pid) from pg_stat_activity where wait_event = 'PgSleep'"
                    + " and pid <> pg_backend_pid()", "drop trigger if exists hold_first_result on events",
                    "alter system reset client_connection_check_interval", "select pg_reload_conf()");
            if (owner >= 0 && !cluster.process(owner).alive()) {
                cluster.restart(owner);
            }
        }
    }

    /** Inserts of events currently held by the trigger (backends sleeping inside it). */
    private static long heldInserts() throws SQLException {
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where wait_event = 'PgSleep' and pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Lease owner and epoch of each recorded start of the run's tool calls, in attempt order. */
    private static List<String[]> startOwners(String run) throws SQLException {
        try (Connection sql = cluster.sql(); var statement = sql.prepareStatement(
                "select lease_owner, lease_epoch::text from tool_calls where run_id = ?::uuid order by attempt")) {
            statement.setString(1, run);
            List<String[]> starts = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    starts.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
            return starts;
        }
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection sql = cluster.sql(); var statement = sql.createStatement()) {
            for (String each : statements) {
                statement.execute(each);
            }
        }
    }

    private static String accepted(BerthClient.Reply reply) {
        assertThat(reply.status()).as("submit answered %s", reply.body()).isEqualTo(202);
        return reply.text("id");
    }
}
