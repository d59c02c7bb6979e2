package dev.berth.bench.scenario;

import dev.berth.bench.db.DbProbe;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.DbOutageProxy;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 9: database outages of several lengths (ADR 0025). Two Berth processes reach
 * PostgreSQL through a {@link DbOutageProxy}; for each length, runs are started and, while every
 * run's first model call is in flight, the proxy is cut (open connections reset, new ones
 * refused) for that long. Then: runs given up and model calls repeated (Berth's counters, and
 * the extra requests the fake model received), time from the database's return until both
 * processes are ready again (GET /q/health/ready, every 20 ms), and until the first run commits
 * its next step (runs table, read directly, every 20 ms).
 */
public final class Outage {
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration MODEL_LATENCY = Duration.ofMillis(1500);
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Outage() {
    }

    public static Section run(Vertx vertx, List<Integer> lengthsSeconds, int runs) {
        Section s = new Section("9-outage", "9. Database outages")
                .config("processes", 2)
                .config("engine settings", "lease TTL " + LEASE_TTL.toSeconds() + " s, heartbeat "
                        + HEARTBEAT.toSeconds() + " s, poll 250 ms")
                .config("runs in flight per outage", runs)
                .config("fake model latency", MODEL_LATENCY.toMillis() + " ms")
                .config("outage", "TCP proxy cut: open connections reset, new ones refused");
        FakeModelServer fake = FakeModelServer.startAndAwait(vertx,
                FakeOptions.defaults().withLatency(MODEL_LATENCY).withRecordLimit(100_000));
        Map<String, String> env = Map.of("BERTH_ENGINE_LEASE_TTL", LEASE_TTL.toMillis() + "ms",
                "BERTH_ENGINE_HEARTBEAT_INTERVAL", HEARTBEAT.toMillis() + "ms",
                "BERTH_ENGINE_POLL_INTERVAL", "250ms");
        try (PostgresDatabase db = PostgresDatabase.create(); DbOutageProxy proxy = DbOutageProxy.inFrontOf(db);
                DbProbe probe = new DbProbe(db.jdbcUrl());
                BerthProcess a = BerthProcess.create("bench-outage-a", proxy.url(db), fake.openAiBaseUrl(), env)
                        .start();
                BerthProcess b = BerthProcess.create("bench-outage-b", proxy.url(db), fake.openAiBaseUrl(), env)
                        .start()) {
            List<BerthProcess> processes = List.of(a, b);
            BerthClient client = new BerthClient(a.baseUrl(), BerthProcess.ADMIN_KEY);
            client.putAgent(ScenarioContext.AGENT, List.of("current_time"));
            for (int length : lengthsSeconds) {
                Measured m = outage(Duration.ofSeconds(length), runs, processes, proxy, probe, fake);
                String at = length + " s outage: ";
                s.figure(Figure.of(at + "runs given up", m.givenUp(), "runs"));
                s.figure(Figure.of(at + "model calls repeated (Berth's counter)", m.repeatedCounted(), "calls"));
                s.figure(Figure.of(at + "model calls repeated (seen at the model)", m.repeatedSeen(), "calls"));
                s.figure(Figure.of(at + "runs taken over", m.takenOver(), "runs"));
                s.figure(Figure.of(at + "readiness DOWN during the outage", m.readinessWentDown() ? 1 : 0, "yes=1"));
                s.figure(Figure.of(at + "database back to both processes ready", m.toReady() / 1000.0, "s"));
                s.figure(Figure.of(at + "database back to first resumed step", m.toFirstStep() / 1000.0, "s"));
                s.figure(Figure.of(at + "runs completed", m.completed(), "of " + runs));
            }
            s.note("Repeated model calls are answers a process obtained and could not commit because the lease was"
                    + " taken over meanwhile; an outage shorter than the lease repeats none. Readiness is whatever"
                    + " the processes' health check reports (issue 15 has it follow the reactive pool).");
        } finally {
            fake.close();
        }
        return s;
    }

    record Measured(double givenUp, double repeatedCounted, int repeatedSeen, int takenOver, boolean readinessWentDown,
            long toReady, long toFirstStep, int completed) {
    }

    private static Measured outage(Duration length, int runs, List<BerthProcess> processes, DbOutageProxy proxy,
            DbProbe probe, FakeModelServer fake) {
        BerthClient client = new BerthClient(processes.get(0).baseUrl(), BerthProcess.ADMIN_KEY);
        double givenUpBefore = sum(processes, "berth_runs_given_up_total");
        double repeatedBefore = sum(processes, "berth_model_calls_repeated_total");
        int requestsBefore = fake.requests().size();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            UUID session = client.openSession(ScenarioContext.AGENT, "outage-" + length.toSeconds() + "-" + i);
            ids.add(UUID.fromString(client.submit(session, ScenarioContext.TEXT)));
        }
        // Cut while every run's first model call is in flight: each holds an answer when the database goes.
        until(() -> fake.requests().size() - requestsBefore >= runs, Duration.ofSeconds(30));
        Map<UUID, Integer> steps = steps(probe, ids);
        proxy.cut();
        boolean wentDown = false;
        long cutAt = System.nanoTime();
        while (System.nanoTime() - cutAt < length.toNanos()) {
            wentDown |= !allReady(processes);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        proxy.restore();
        long back = System.nanoTime();
        long ready = -1;
        long firstStep = -1;
        long deadline = back + SETTLE.toNanos();
        while ((ready < 0 || firstStep < 0 || !settled(probe, ids)) && System.nanoTime() < deadline) {
            if (ready < 0 && allReady(processes)) {
                ready = System.nanoTime() - back;
            }
            if (firstStep < 0 && stepped(steps, steps(probe, ids))) {
                firstStep = System.nanoTime() - back;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        int completed = count(probe, ids, "status = 'completed'");
        int takenOver = count(probe, ids, "lease_epoch > 1");
        int repeatedSeen = fake.requests().size() - requestsBefore - 2 * completed;
        return new Measured(sum(processes, "berth_runs_given_up_total") - givenUpBefore,
                sum(processes, "berth_model_calls_repeated_total") - repeatedBefore, repeatedSeen, takenOver,
                wentDown, ready / 1_000_000, firstStep / 1_000_000, completed);
    }

    private static boolean stepped(Map<UUID, Integer> before, Map<UUID, Integer> now) {
        return now.entrySet().stream().anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0));
    }

    private static boolean allReady(List<BerthProcess> processes) {
        for (BerthProcess process : processes) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(process.managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build();
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A counter of every process, summed over labels (Prometheus text from the management port). */
    private static double sum(List<BerthProcess> processes, String metric) {
        double sum = 0;
        for (BerthProcess process : processes) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(process.managementUrl() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(5)).build();
                for (String line : HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
                    if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not read the metrics of " + process.baseUrl(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sum;
    }

    private static Map<UUID, Integer> steps(DbProbe probe, List<UUID> ids) {
        Map<UUID, Integer> steps = new HashMap<>();
        query(probe, ids, "select id, step from runs where id = any(?)",
                rs -> steps.put(rs.getObject(1, UUID.class), rs.getInt(2)));
        return steps;
    }

    private static boolean settled(DbProbe probe, List<UUID> ids) {
        return count(probe, ids, "status not in ('queued', 'running')") == ids.size();
    }

    private static int count(DbProbe probe, List<UUID> ids, String condition) {
        int[] count = new int[1];
        query(probe, ids, "select count(*) from runs where id = any(?) and " + condition, rs -> count[0] = rs.getInt(1));
        return count[0];
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(DbProbe probe, List<UUID> ids, String sql, RowReader reader) {
        try {
            probe.connection().setAutoCommit(true);
            try (PreparedStatement ps = probe.connection().prepareStatement(sql)) {
                ps.setArray(1, probe.connection().createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read runs", e);
        }
    }

    private static void until(java.util.function.BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + max);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
