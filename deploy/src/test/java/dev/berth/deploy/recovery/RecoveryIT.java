package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The recovery suite: three Berth processes against one PostgreSQL, the fake model with
 * latency, a few hundred runs with tool calls from many sessions, while the process owning
 * running runs is killed with SIGKILL several times and PostgreSQL crashes once (an immediate
 * stop, then crash recovery). Lost and duplicated steps are counted against the requests the
 * fake model recorded, not against Berth's own counters. Size: {@code -Dberth.recovery.runs=N}
 * (default 120, the CI size); see docs/recovery.md.
 */
class RecoveryIT {
    private static final int RUNS = Integer.getInteger("berth.recovery.runs", 120);
    private static final int RUNS_PER_SESSION = 5;
    private static final int KILLS = Integer.getInteger("berth.recovery.kills", 3);
    private static final Duration MODEL_LATENCY = Duration.ofMillis(400);
    /** Room for every model request of the suite: two per run, runs resent, calls made again after faults. */
    private static final int RECORDED = Math.max(FakeOptions.DEFAULT_RECORD_LIMIT, RUNS * 20);
    private static final Duration RESUME_BOUND = Cluster.LEASE_TTL.plusSeconds(
            Long.getLong("berth.recovery.resume-slack-seconds", 7));

    @Test
    void runsSurviveKilledProcessesAndADatabaseRestart() throws Exception {
        // The fake keeps every request of the suite: they are the evidence the audit counts steps against.
        FakeOptions model = FakeOptions.defaults().withLatency(MODEL_LATENCY).withRecordLimit(RECORDED);
        try (Cluster cluster = Cluster.start(3, model, Cluster.LEASE_TTL, Duration.ofSeconds(1))) {
            // Given three processes, and clients sending messages that make the agent call a tool
            Workload workload = new Workload(cluster, Math.max(1, RUNS / RUNS_PER_SESSION), RUNS_PER_SESSION,
                    Duration.ofSeconds(4));
            Chaos chaos = new Chaos(cluster);
            AtomicBoolean done = new AtomicBoolean();
            AtomicBoolean faultsPending = new AtomicBoolean(true);
            Instant started = Instant.now();

            // When the busiest process is killed several times and PostgreSQL crashes once, meanwhile
            // On a thread of its own: it blocks for minutes, and must not hold the common pool.
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                try {
                    workload.run(Duration.ofMinutes(10), faultsPending);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.set(true);
                }
            }, runnable -> Thread.ofPlatform().name("workload").daemon().start(runnable));
            try {
                chaos.run(KILLS, 2, Cluster.LEASE_TTL.plusSeconds(3), done);
            } finally {
                faultsPending.set(false);
            }
            load.join();
            chaos.awaitRestarts();
            Duration elapsed = Duration.between(started, Instant.now());

            // Then every acknowledged input has one completed run, and no event is lost or repeated
            Report report = audit(cluster, workload, chaos, elapsed);
            report.print();
            assertThat(chaos.kills).as("kills done while runs were in flight").hasSize(KILLS);
            assertThat(chaos.databaseRestarted).as("PostgreSQL crashed and started again").isTrue();
            assertThat(report.acknowledged()).as("inputs acknowledged").isGreaterThanOrEqualTo(workload.minimum());
            assertThat(Map.copyOf(workload.finalStatus).values()).as("statuses the clients saw their runs settle with")
                    .containsOnly("completed");
            assertThat(report.modelRequests()).as("model requests recorded (all of them kept)").isLessThan(RECORDED);
            assertThat(workload.otherFailures.get()).as("responses other than success or 503").isZero();
            assertThat(report.problems()).as("problems found").isEmpty();
            assertThat(report.eventsLost()).isZero();
            assertThat(report.duplicates()).isZero();
            assertThat(report.runsNotCompleted()).isZero();
            // The target is TTL + 2 s; the bound asserted leaves room for a loaded CI machine (see docs/recovery.md).
            assertThat(report.worstResume()).as("kill to resumed progress").isLessThan(RESUME_BOUND);
        }
    }

    private static Report audit(Cluster cluster, Workload workload, Chaos chaos, Duration elapsed) throws Exception {
        try (Connection sql = cluster.sql()) {
            Audit audit = new Audit(sql);
            ModelRequests requests = new ModelRequests(cluster.fake().requests());
            audit.checkRuns(sql, workload.acknowledged.keySet(), requests);
            audit.checkSessionDuplicates();
            audit.checkSequences(sql);
            audit.checkToolCalls(sql);
            List<Duration> resumes = new ArrayList<>();
            for (Chaos.Kill kill : chaos.kills) {
                resumes.add(audit.resumeTime(kill));
            }
            List<String> problems = new ArrayList<>(audit.problems);
            problems.addAll(apiAgreesWithDatabase(cluster, workload, audit));
            return new Report(workload.minimum(), workload.acknowledged.size(), audit.runsCompleted,
                    audit.runsNotCompleted, audit.sessionsChecked, audit.events.size(), audit.eventsLost,
                    audit.duplicates, requests.total(), audit.repeatedModelCalls, audit.toolCalls,
                    audit.reExecutedToolCalls, chaos.kills, resumes,
                    chaos.databaseDowntime, workload.unavailable.get(), workload.connectionFailures.get(),
                    workload.unacknowledged.get(), elapsed, problems);
        }
    }

    /** What a client reads through the API, from any process, is what was committed. */
    private static List<String> apiAgreesWithDatabase(Cluster cluster, Workload workload, Audit audit)
            throws Exception {
        List<String> problems = new ArrayList<>();
        for (String session : Map.copyOf(workload.acknowledged).values().stream().distinct().toList()) {
            List<JsonNode> api = cluster.anyLiveClient().events(session);
            List<Long> stored = audit.events.stream().filter(e -> e.session().equals(UUID.fromString(session)))
                    .map(Audit.StoredEvent::seq).toList();
            if (!api.stream().map(e -> e.path("seq").asLong()).toList().equals(stored)) {
                problems.add("the API shows other events than were committed for session " + session);
            }
        }
        return problems;
    }

    /** The figures of one run of the suite. */
    record Report(int runs, int acknowledged, int runsCompleted, int runsNotCompleted, int sessions, int events,
            int eventsLost, int duplicates, int modelRequests, int repeatedModelCalls, int toolCalls,
            int reExecutedToolCalls, List<Chaos.Kill> kills,
            List<Duration> resumes, Duration databaseDowntime, int unavailable, int connectionFailures,
            int unacknowledged, Duration elapsed, List<String> problems) {

        Duration worstResume() {
            return resumes.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        }

        void print() throws java.io.IOException {
            StringBuilder out = new StringBuilder("\n=== Berth recovery suite ===\n");
            out.append(String.format("runs requested (minimum)  %d; sessions %d%n", runs, sessions));
            out.append(String.format("inputs acknowledged       %d%n", acknowledged));
            out.append(String.format("runs completed            %d (acknowledged not completed: %d)%n", runsCompleted,
                    runsNotCompleted));
            out.append(String.format("events committed          %d%n", events));
            out.append(String.format("events lost               %d%n", eventsLost));
            out.append(String.format("duplicates                %d%n", duplicates));
            out.append(String.format("model requests received   %d, made again after a fault cut a step short: %d%n",
                    modelRequests, repeatedModelCalls));
            out.append(String.format("tool calls                %d, re-executed after a takeover: %d%n", toolCalls,
                    reExecutedToolCalls));
            for (int i = 0; i < kills.size(); i++) {
                out.append(String.format("kill -9 #%d of %s          owned %d running runs; resumed progress after %d ms%n",
                        i + 1, kills.get(i).victim(), kills.get(i).ownedRuns().size(), resumes.get(i).toMillis()));
            }
            out.append(String.format("worst kill-to-progress    %d ms (lease TTL %d ms, target TTL + 2000 ms)%n",
                    worstResume().toMillis(), Cluster.LEASE_TTL.toMillis()));
            out.append(String.format("PostgreSQL crash+restart  %d ms; 503 answers seen: %d; connection failures: %d;"
                    + " inputs resent unacknowledged: %d%n", databaseDowntime.toMillis(), unavailable,
                    connectionFailures, unacknowledged));
            out.append(String.format("wall clock                %d s%n", elapsed.toSeconds()));
            problems.stream().limit(20).forEach(p -> out.append("PROBLEM: ").append(p).append('\n'));
            System.out.println(out);
            Files.writeString(Path.of("target", "recovery-report.txt"), out.toString());
        }
    }
}
