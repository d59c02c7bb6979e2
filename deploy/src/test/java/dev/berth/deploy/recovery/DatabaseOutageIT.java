package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.DbOutageProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Database outages (issue 15, ADR 0025): two Berth processes reach PostgreSQL through a
 * {@link DbOutageProxy}, which the test cuts (open connections reset, new ones refused) while
 * every run's model call is in flight. The model calls are counted at the fake model, not by
 * Berth. A run asks the model, which calls a tool, then answers: two model calls per run.
 */
class DatabaseOutageIT {
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);
    private static final Duration MODEL_LATENCY = Duration.ofMillis(1500);
    private static final int SESSIONS = 8;
    private static final String GIVEN_UP = "berth_runs_given_up_total";
    private static final String REPEATED = "berth_model_calls_repeated_total";

    @Test
    void anOutageShorterThanTheLeaseGivesNoRunUpAndRepeatsNoModelCall() throws Exception {
        try (Cluster cluster = cluster()) {
            // Given a run in each session, its first model call in flight
            Map<String, String> runs = submitAndAwaitModelCalls(cluster);

            // When the database is cut off for 3 s
            cluster.proxy().outage(Duration.ofSeconds(3), DbOutageProxy.Mode.REFUSE);

            // Then every run completed once, under the lease it had, with one model call per step
            settleAll(cluster, runs);
            ModelRequests requests = new ModelRequests(cluster.fake().requests());
            for (Map.Entry<String, String> run : runs.entrySet()) {
                String input = input(cluster, run.getKey());
                assertThat(requests.beforeTools(input)).as("model calls before the tool, %s", input).isEqualTo(1);
                assertThat(requests.afterTools(input)).as("model calls after the tool, %s", input).isEqualTo(1);
                assertThat(cluster.runColumn(run.getKey(), "lease_epoch")).as("claims of %s", input).isEqualTo("1");
                assertThat(types(cluster, run.getValue())).containsExactly("user.message", "assistant.message",
                        "tool.result", "assistant.message");
            }
            assertThat(requests.total()).isEqualTo(2 * SESSIONS);
            assertThat(sum(cluster, GIVEN_UP)).isZero();
            assertThat(sum(cluster, REPEATED)).isZero();
            // and the outage did hit the runs: their commits were tried again
            assertThat(cluster.proxy().refusedConnections()).isPositive();
            assertThat(logs(cluster).stream().mapToLong(log -> log.count("WARN", "cannot reach the database")).sum())
                    .as("runs that met the outage").isPositive();
            assertNoErrorStackTraces(cluster);
        }
    }

    @Test
    void anOutageLongerThanTheLeaseEndsInTakeoversAndEveryRunCompletesOnceWithoutErrorStackTraces() throws Exception {
        try (Cluster cluster = cluster()) {
            // Given a run in each session, its first model call in flight
            Map<String, String> runs = submitAndAwaitModelCalls(cluster);

            // When the database is cut off for 20 s, four lease lengths
            cluster.proxy().outage(Duration.ofSeconds(20), DbOutageProxy.Mode.REFUSE);

            // Then every run completed exactly once: each step in its log once
            settleAll(cluster, runs);
            int takeovers = 0;
            for (Map.Entry<String, String> run : runs.entrySet()) {
                assertThat(types(cluster, run.getValue())).as("log of run %s", run.getKey()).containsExactly(
                        "user.message", "assistant.message", "tool.result", "assistant.message");
                takeovers += Integer.parseInt(cluster.runColumn(run.getKey(), "lease_epoch")) > 1 ? 1 : 0;
            }
            // and the model calls made twice are the answers the processes counted as thrown away
            ModelRequests requests = new ModelRequests(cluster.fake().requests());
            int repeatedAtTheModel = requests.total() - 2 * SESSIONS;
            System.out.printf("%n=== 20 s outage, lease TTL 5 s: %d of %d runs taken over, %d model calls repeated"
                    + " (counted by Berth: %.0f), runs given up: %.0f%n", takeovers, SESSIONS, repeatedAtTheModel,
                    sum(cluster, REPEATED), sum(cluster, GIVEN_UP));
            assertThat(sum(cluster, REPEATED)).isEqualTo(repeatedAtTheModel);
            assertThat(repeatedAtTheModel).isLessThanOrEqualTo(takeovers);
            // An outage gives no run up: what ends an owner's run is the fence, after a takeover
            assertThat(sum(cluster, GIVEN_UP)).isZero();
            assertNoErrorStackTraces(cluster);
        }
    }

    private static Cluster cluster() {
        FakeOptions model = FakeOptions.defaults().withLatency(MODEL_LATENCY);
        return Cluster.behindProxy(2, model, LEASE_TTL, Duration.ofSeconds(1), Duration.ofMillis(250), Map.of());
    }

    /** One message in each of SESSIONS sessions; returns run id to session, once each run's model call started. */
    private static Map<String, String> submitAndAwaitModelCalls(Cluster cluster) throws Exception {
        cluster.client(0).defineAgent(Workload.AGENT, "enqueue", List.of("current_time"));
        Map<String, String> runs = new LinkedHashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            BerthClient client = cluster.client(i % cluster.size());
            String session = client.openSession(Workload.AGENT, "actor-" + i);
            BerthClient.Reply reply = client.submit(session, "What time is it now? (session " + i + ")");
            assertThat(reply.status()).isEqualTo(202);
            runs.put(reply.text("id"), session);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.fake().requests().size() >= SESSIONS);
        return runs;
    }

    private static void settleAll(Cluster cluster, Map<String, String> runs) {
        for (String runId : runs.keySet()) {
            JsonNode run = cluster.settled(runId);
            assertThat(run.path("status").asText()).as("run %s", runId).isEqualTo("completed");
        }
    }

    private static String input(Cluster cluster, String runId) throws Exception {
        try (Connection sql = cluster.sql(); var statement = sql.prepareStatement("select e.payload ->> 'text'"
                + " from runs r join events e on e.session_id = r.session_id and e.seq = r.input_seq"
                + " where r.id = ?::uuid")) {
            statement.setString(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static List<String> types(Cluster cluster, String session) throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection sql = cluster.sql(); var statement = sql.prepareStatement(
                "select type from events where session_id = ?::uuid order by seq")) {
            statement.setString(1, session);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        }
        return types;
    }

    private static double sum(Cluster cluster, String metric) throws Exception {
        double sum = 0;
        for (int i = 0; i < cluster.size(); i++) {
            sum += cluster.client(i).metric(metric);
        }
        return sum;
    }

    private static List<ProcessLog> logs(Cluster cluster) throws Exception {
        List<ProcessLog> logs = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            logs.add(ProcessLog.since(cluster.process(i), "p" + i));
        }
        return logs;
    }

    private static void assertNoErrorStackTraces(Cluster cluster) throws Exception {
        List<String> errors = new ArrayList<>();
        for (ProcessLog log : logs(cluster)) {
            errors.addAll(log.errorsWithStackTraces());
        }
        assertThat(errors).as("ERROR lines with a stack trace in the processes' logs").isEmpty();
    }
}
