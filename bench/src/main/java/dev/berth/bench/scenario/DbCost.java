package dev.berth.bench.scenario;

import dev.berth.bench.db.DbCounters;
import dev.berth.bench.db.DbProbe;
import dev.berth.bench.db.StatementTally;
import dev.berth.bench.http.TurnResult;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 4: what a step and a turn cost the database. Two sources, side by side:
 * PostgreSQL's own counters for the benchmark's database ({@code pg_stat_database},
 * {@code pg_stat_user_tables}), and the statements Berth sent, counted on the wire by a proxy
 * (our stand-in for {@code pg_stat_statements}). Background work (the claim poll, heartbeats) is
 * measured in an idle period of the same length and subtracted.
 */
public final class DbCost {
    private static final int WARMUP = 5;

    private DbCost() {
    }

    /** Runs against {@code ctx.berth()}, which must reach PostgreSQL through the proxy whose tally is given. */
    public static Section run(ScenarioContext ctx, StatementTally tally, String pgStatStatements) {
        int turns = ctx.sizes().dbCostTurns();
        DbProbe probe = ctx.probe();
        UUID session = ctx.client().openSession(ScenarioContext.AGENT, "dbcost");
        for (int i = 0; i < WARMUP; i++) {
            ctx.client().turn(session, ScenarioContext.TEXT);
        }
        // The measured window: turns, then time for the backends to publish their statistics.
        DbCounters c0 = probe.settledSnapshot();
        StatementTally.Snapshot t0 = tally.snapshot();
        long start = System.nanoTime();
        List<TurnResult> results = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            results.add(ctx.client().turn(session, ScenarioContext.TEXT));
        }
        StatementTally.Snapshot t1 = tally.snapshot();
        long busyNanos = System.nanoTime() - start;
        DbCounters c1 = probe.settledSnapshot();
        double statsSeconds = (System.nanoTime() - start) / 1e9;
        // An idle window as long as the busy one: what Berth sends with no input at all.
        StatementTally.Snapshot i0 = tally.snapshot();
        LockSupport.parkNanos(busyNanos);
        StatementTally.Snapshot i1 = tally.snapshot();

        return section(ctx, turns, TurnStats.of(results).stepsPerTurn(), c1.minus(c0), t1.minus(t0), i1.minus(i0),
                pgStatStatements, new double[] {busyNanos / 1e9, statsSeconds});
    }

    private static Section section(ScenarioContext ctx, int turns, double stepsPerTurn, DbCounters busy,
            StatementTally.Snapshot wire, StatementTally.Snapshot idleWire, String pss, double[] windows) {
        double seconds = windows[0];
        double steps = turns * stepsPerTurn;
        Section s = new Section("4-db-cost-" + ctx.latencyMs(), "4. Database cost per step (" + ctx.label() + ")")
                .config("model latency ms", ctx.latencyMs()).config("turns measured", turns)
                .config("steps per turn", stepsPerTurn).config("busy seconds", round(seconds))
                .config("pg_stat window seconds", round(windows[1]))
                .config("pg_stat_statements", pss);
        double xactPerStep = busy.xactCommit() / steps;
        double writeTxPerStep = (wire.writeTransactions() - idleWire.writeTransactions()) / steps;
        double stmtPerTurn = (wire.statements() - idleWire.statements()) / (double) turns;
        double sqlPerTurn = (wire.sqlStatements() - idleWire.sqlStatements()) / (double) turns;
        boolean t = ctx.targetsApply();
        s.figure(t ? Figure.atMost("write transactions per step, incl. claim statements (wire)", writeTxPerStep, "tx",
                1.0, "<= 1") : Figure.of("write transactions per step, incl. claim statements (wire)", writeTxPerStep, "tx"));
        s.figure(Figure.of("explicit BEGIN..COMMIT transactions per step (wire)",
                (wire.explicitTransactions() - idleWire.explicitTransactions()) / steps, "tx"));
        s.figure(Figure.of("all transactions per step, incl. read-only and background (pg_stat_database)",
                xactPerStep, "tx"));
        s.figure(Figure.of("all transactions per step, incl. read-only (wire)",
                (wire.transactions() - idleWire.transactions()) / steps, "tx"));
        s.figure(t ? Figure.atMost("statements per turn, incl. BEGIN/COMMIT (wire)", stmtPerTurn, "statements", 12,
                "<= 12") : Figure.of("statements per turn, incl. BEGIN/COMMIT (wire)", stmtPerTurn, "statements"));
        s.figure(Figure.of("SQL statements per turn, excl. BEGIN/COMMIT (wire)", sqlPerTurn, "statements"));
        s.figure(Figure.of("statements per step (wire)", stmtPerTurn / stepsPerTurn, "statements"));
        s.figure(Figure.of("rows inserted per turn", busy.tupInserted() / (double) turns, "rows"));
        s.figure(Figure.of("rows updated per turn", busy.tupUpdated() / (double) turns, "rows"));
        s.figure(Figure.of("rows deleted per turn", busy.tupDeleted() / (double) turns, "rows"));
        s.figure(Figure.of("rows written per step", busy.rowsWritten() / steps, "rows"));
        s.figure(Figure.of("background statements per second, idle", idleWire.statements() / seconds, "statements/s"));
        Map<String, Double> perTurn = new LinkedHashMap<>();
        wire.byText().entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> perTurn.put(e.getKey(), round((double) e.getValue() / turns)));
        Map<String, Double> idlePerTurn = new LinkedHashMap<>();
        idleWire.byText().forEach((k, v) -> idlePerTurn.put(k, round((double) v / turns)));
        Map<String, Object> tables = new LinkedHashMap<>();
        busy.tables().forEach((name, c) -> {
            if (c.inserted() + c.updated() + c.deleted() > 0) {
                tables.put(name, Map.of("inserted/turn", round(c.inserted() / (double) turns),
                        "updated/turn", round(c.updated() / (double) turns),
                        "hot updated/turn", round(c.hotUpdated() / (double) turns),
                        "deleted/turn", round(c.deleted() / (double) turns)));
            }
        });
        s.detail("statements per turn by text (wire, busy window)", perTurn);
        s.detail("statements per turn by text (wire, idle window of the same length)", idlePerTurn);
        s.detail("rows per turn by table (pg_stat_user_tables)", tables);
        s.note("Statements are counted by a PostgreSQL wire-protocol proxy between Berth and the server (each simple"
                + " Query and each extended-protocol Execute is one statement); this Berth process talks through it,"
                + " the other scenarios' processes do not. Transactions: an explicit BEGIN..COMMIT is one, a statement"
                + " outside one is an implicit one; 'write' ones contain INSERT/UPDATE/DELETE (a claim statement is"
                + " a write even when it finds nothing to claim: the wire does not say how many rows it changed).");
        s.note("Wire counts: an idle window as long as the busy one is subtracted (claim polling, heartbeats)."
                + " Rows and pg_stat_database transactions: pg_stat_database / pg_stat_user_tables of the benchmark's"
                + " own database, read 11 s after the last turn (PostgreSQL 15 publishes an idle backend's"
                + " statistics after up to 10 s); the transaction count is raw, so it includes the background"
                + " polls of the whole pg_stat window.");
        s.note("Statements per turn, by text (wire): " + top(perTurn, 12));
        return s;
    }

    private static String top(Map<String, Double> perTurn, int n) {
        StringBuilder sb = new StringBuilder();
        perTurn.entrySet().stream().limit(n).forEach(e -> sb.append("`").append(e.getKey().length() > 90
                ? e.getKey().substring(0, 87) + "..." : e.getKey()).append("` x").append(e.getValue()).append("; "));
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
