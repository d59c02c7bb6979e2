package dev.berth.bench.scenario;

import dev.berth.bench.db.DbProbe;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
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
 * Scenario 7: process A owns runs whose model calls hang (scripted 10-minute replies); A is
 * killed with SIGKILL; we time, per run, how long until process B holds its lease (a higher
 * epoch), commits its next step, and completes it. Observed in the runs table every 20 ms.
 */
public final class Takeover {
    private static final String A = "bench-takeover-a";
    private static final String B = "bench-takeover-b";
    private static final Duration OBSERVE = Duration.ofSeconds(120);

    private Takeover() {
    }

    public static Section run(Vertx vertx, int runs, Map<String, String> env) {
        Section s = new Section("7-takeover", "7. Takeover after kill -9")
                .config("runs owned by the killed process", runs)
                .config("engine settings", env.isEmpty() ? "Berth defaults (lease TTL 15 s, heartbeat 5 s, poll 1 s)"
                        : env.toString())
                .config("observed", "runs table, every 20 ms");
        FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
        try (PostgresDatabase db = PostgresDatabase.create(); DbProbe probe = new DbProbe(db.jdbcUrl());
                BerthProcess a = BerthProcess.create(A, db.url(), fake.openAiBaseUrl(), env).start()) {
            BerthClient client = new BerthClient(a.baseUrl(), BerthProcess.ADMIN_KEY);
            client.putAgent(ScenarioContext.AGENT, List.of("current_time"));
            for (int i = 0; i < runs; i++) {
                // Hangs A's first model call of each run, so A is mid-step when it dies.
                fake.enqueue(FakeReply.toolCall("current_time", "{}").withLatency(Duration.ofMinutes(10)));
            }
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ids.add(UUID.fromString(client.submit(client.openSession(ScenarioContext.AGENT, "takeover-" + i),
                        ScenarioContext.TEXT)));
            }
            if (!awaitOwnedByA(probe, ids, fake)) {
                s.note("Process A did not start all runs within 60 s; takeover not measured.");
                return s;
            }
            try (BerthProcess b = BerthProcess.create(B, db.url(), fake.openAiBaseUrl(), env).start()) {
                Map<UUID, RunRow> atKill = rows(probe, ids);
                long killed = System.nanoTime();
                a.kill();
                observe(probe, ids, atKill, killed, s);
            }
        } finally {
            fake.close();
        }
        return s;
    }

    private static void observe(DbProbe probe, List<UUID> ids, Map<UUID, RunRow> atKill, long killed, Section s) {
        Map<UUID, Long> claimed = new HashMap<>();
        Map<UUID, Long> progressed = new HashMap<>();
        Map<UUID, Long> completed = new HashMap<>();
        long deadline = killed + OBSERVE.toNanos();
        while (completed.size() < ids.size() && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            rows(probe, ids).forEach((id, row) -> {
                RunRow before = atKill.get(id);
                if (B.equals(row.owner()) && row.epoch() > before.epoch()) {
                    claimed.putIfAbsent(id, now - killed);
                }
                if (row.step() > before.step() || row.status().equals("completed")) {
                    claimed.putIfAbsent(id, now - killed); // claimed and stepped between two looks
                    progressed.putIfAbsent(id, now - killed);
                }
                if (!row.status().equals("running") && !row.status().equals("queued")) {
                    completed.putIfAbsent(id, now - killed);
                }
            });
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        add(s, "kill to lease held by B", claimed, ids.size());
        add(s, "kill to first resumed step committed", progressed, ids.size());
        add(s, "kill to run settled", completed, ids.size());
        s.note("Takeover waits for the dead owner's lease to expire (its last heartbeat + the lease TTL), then for"
                + " B's next claim poll; the scripted hang only applies to A's calls, B gets instant answers.");
    }

    private static void add(Section s, String what, Map<UUID, Long> times, int expected) {
        LatencySummary summary = LatencySummary.ofNanos(times.values().stream().mapToLong(Long::longValue).toArray());
        s.figure(Figure.of(what + ", median", summary.p50Ms() / 1000, "s"));
        s.figure(Figure.of(what + ", max", summary.maxMs() / 1000, "s"));
        if (times.size() < expected) {
            s.figure(Figure.of(what + ": runs never observed", expected - times.size(), "runs"));
        }
    }

    private static boolean awaitOwnedByA(DbProbe probe, List<UUID> ids, FakeModelServer fake) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long owned = rows(probe, ids).values().stream()
                    .filter(r -> r.status().equals("running") && A.equals(r.owner())).count();
            if (owned == ids.size() && fake.pendingReplies() == 0) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return false;
    }

    record RunRow(String owner, long epoch, int step, String status) {
    }

    private static Map<UUID, RunRow> rows(DbProbe probe, List<UUID> ids) {
        Map<UUID, RunRow> rows = new HashMap<>();
        try {
            probe.connection().setAutoCommit(true);
            try (PreparedStatement ps = probe.connection().prepareStatement(
                    "select id, lease_owner, lease_epoch, step, status from runs where id = any(?)")) {
                ps.setArray(1, probe.connection().createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getObject(1, UUID.class), new RunRow(rs.getString(2), rs.getLong(3),
                                rs.getInt(4), rs.getString(5)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read runs", e);
        }
        return rows;
    }
}
