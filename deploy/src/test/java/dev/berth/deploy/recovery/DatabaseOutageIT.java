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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Database outages (issue 15, ADR 0025): two Berth processes reach PostgreSQL through a
 * {@link DbOutageProxy}, which the test cuts (open connections reset, new ones refused) while
 * every run's model call is in flight. The model calls are counted at the fake model, not by
 * Berth. A run asks the model, which calls a tool, then answers: two model calls per run. The
 * tests share the processes (starting them is most of the time); each has sessions of its own
 * and reads the counters as differences.
 */
class DatabaseOutageIT {
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);
    private static final Duration MODEL_LATENCY = Duration.ofMillis(1500);
    private static final int SESSIONS = 8;
    private static final String GIVEN_UP = "berth_runs_given_up_total";
    private static final String REPEATED = "berth_model_calls_repeated_total";
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcessesBehindTheProxy() throws Exception {
        FakeOptions model = FakeOptions.defaults().withLatency(MODEL_LATENCY);
        cluster = Cluster.behindProxy(2, model, LEASE_TTL, Duration.ofSeconds(1), Duration.ofMillis(250), Map.of());
        cluster.client(0).defineAgent(Workload.AGENT, "enqueue", List.of("current_time"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anOutageShorterThanTheLeaseGivesNoRunUpAndRepeatsNoModelCall() throws Exception {
        // Given a run in each session, its first model call in flight
        Counters before = Counters.read();
        Map<String, String> runs = submitAndAwaitModelCalls("short");

        // When the database is cut off for 3 s
        cluster.proxy().outage(Duration.ofSeconds(3), DbOutageProxy.Mode.REFUSE);

        // Then every run completed once, under the lease it had, with one model call per step
        settleAll(runs);
        ModelRequests requests = new ModelRequests(cluster.fake().requests());
        for (Map.Entry<String, String> run : runs.entrySet()) {
            String input = input(run.getKey());
            assertThat(requests.beforeTools(input)).as("model calls before the tool, %s", input).isEqualTo(1);
            assertThat(requests.afterTools(input)).as("model calls after the tool, %s", input).isEqualTo(1);
            assertThat(cluster.runColumn(run.getKey(), "lease_epoch")).as("claims of %s", input).isEqualTo("1");
            assertThat(types(run.getValue())).containsExactly("user.message", "assistant.message",
                    "tool.result", "assistant.message");
        }
        Counters after = Counters.read();
        assertThat(after.givenUp() - before.givenUp()).isZero();
        assertThat(after.repeated() - before.repeated()).isZero();
        // and the outage did hit the runs: their commits were tried again
        assertThat(after.refused()).isGreaterThan(before.refused());
        assertThat(after.outageWarnings()).as("runs that met an outage").isGreaterThan(before.outageWarnings());
        assertNoErrorStackTraces();
    }

    @Test
    void anOutageLongerThanTheLeaseEndsInTakeoversAndEveryRunCompletesOnceWithoutErrorStackTraces() throws Exception {
        // Given a run in each session, its first model call in flight
        Counters before = Counters.read();
        Map<String, String> runs = submitAndAwaitModelCalls("long");

        // When the database is cut off for 20 s, four lease lengths
        cluster.proxy().outage(Duration.ofSeconds(20), DbOutageProxy.Mode.REFUSE);

        // Then every run completed exactly once: each step in its log once
        settleAll(runs);
        int takeovers = 0;
        ModelRequests requests = new ModelRequests(cluster.fake().requests());
        int modelCalls = 0;
        for (Map.Entry<String, String> run : runs.entrySet()) {
            assertThat(types(run.getValue())).as("log of run %s", run.getKey()).containsExactly(
                    "user.message", "assistant.message", "tool.result", "assistant.message");
            takeovers += Integer.parseInt(cluster.runColumn(run.getKey(), "lease_epoch")) > 1 ? 1 : 0;
            String input = input(run.getKey());
            modelCalls += requests.beforeTools(input) + requests.afterTools(input);
        }
        // and the model calls made twice are the answers the processes counted as thrown away
        Counters after = Counters.read();
        int repeatedAtTheModel = modelCalls - 2 * SESSIONS;
        double counted = after.repeated() - before.repeated();
        double givenUp = after.givenUp() - before.givenUp();
        System.out.printf("%n=== 20 s outage, lease TTL 5 s: %d of %d runs taken over, %d model calls repeated"
                + " (counted by Berth: %.0f), runs given up: %.0f%n", takeovers, SESSIONS, repeatedAtTheModel,
                counted, givenUp);
        assertThat(counted).isEqualTo(repeatedAtTheModel);
        assertThat(repeatedAtTheModel).isLessThanOrEqualTo(takeovers);
        // An outage gives no run up: what ends an owner's run is the fence, after a takeover
        assertThat(givenUp).isZero();
        assertNoErrorStackTraces();
    }

    /** What the processes counted and the proxy refused, summed. */
    record Counters(double givenUp, double repeated, long refused, long outageWarnings) {
        static Counters read() throws Exception {
            long warnings = 0;
            for (ProcessLog log : logs()) {
                warnings += log.count("WARN", "cannot reach the database");
            }
            return new Counters(sum(GIVEN_UP), sum(REPEATED), cluster.proxy().refusedConnections(), warnings);
        }
    }

    /** One message in each of SESSIONS sessions; returns run id to session, once each run's model call started. */
    private static Map<String, String> submitAndAwaitModelCalls(String test) throws Exception {
        int requestsBefore = cluster.fake().requests().size();
        Map<String, String> runs = new LinkedHashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            BerthClient client = cluster.client(i % cluster.size());
            String session = client.openSession(Workload.AGENT, test + "-actor-" + i);
            BerthClient.Reply reply = client.submit(session, "What time is it now? (" + test + ", session " + i + ")");
            assertThat(reply.status()).isEqualTo(202);
            runs.put(reply.text("id"), session);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.fake().requests().size() - requestsBefore >= SESSIONS);
        return runs;
    }

    private static void settleAll(Map<String, String> runs) {
        for (String runId : runs.keySet()) {
            JsonNode run = cluster.settled(runId);
            assertThat(run.path("status").asText()).as("run %s", runId).isEqualTo("completed");
        }
    }

    private static String input(String runId) throws Exception {
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

    private static List<String> types(String session) throws Exception {
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

    private static double sum(String metric) throws Exception {
        double sum = 0;
        for (int i = 0; i < cluster.size(); i++) {
            sum += cluster.client(i).metric(metric);
        }
        return sum;
    }

    private static List<ProcessLog> logs() throws Exception {
        List<ProcessLog> logs = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            logs.add(ProcessLog.since(cluster.process(i), "p" + i));
        }
        return logs;
    }

    private static void assertNoErrorStackTraces() throws Exception {
        List<String> errors = new ArrayList<>();
        for (ProcessLog log : logs()) {
            errors.addAll(log.errorsWithStackTraces());
        }
        assertThat(errors).as("ERROR lines with a stack trace in the processes' logs").isEmpty();
    }
}
