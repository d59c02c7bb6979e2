package dev.berth.bench.scenario;

import dev.berth.bench.db.DbCounters;
import dev.berth.bench.http.TurnResult;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Scenario 2: one session for many turns. Compares the latency of the first and the last ten
 * turns, and what ten turns write to PostgreSQL when the session is 100 turns old and at its end.
 */
public final class Growth {
    private static final int WINDOW = 10;

    private Growth() {
    }

    public static Section run(ScenarioContext ctx) {
        int turns = ctx.sizes().growthTurns();
        UUID session = ctx.client().openSession(ScenarioContext.AGENT, "growth");
        TreeSet<Integer> byteWindowEnds = new TreeSet<>();
        byteWindowEnds.add(turns);
        if (turns >= 100 + WINDOW) {
            byteWindowEnds.add(100); // windows must not overlap
        }
        Map<Integer, WindowBytes> bytes = new LinkedHashMap<>();
        long[] latency = new long[turns];
        int notCompleted = 0;
        DbCounters before = null;
        long seqBefore = 0;
        for (int turn = 1; turn <= turns; turn++) {
            boolean opensWindow = byteWindowEnds.contains(turn + WINDOW - 1);
            if (opensWindow) {
                before = ctx.probe().snapshot();
                seqBefore = ctx.probe().lastSeq(session);
            }
            TurnResult r = ctx.client().turn(session, ScenarioContext.TEXT);
            latency[turn - 1] = r.clientNanos();
            notCompleted += r.completed() ? 0 : 1;
            if (byteWindowEnds.contains(turn) && before != null) {
                DbCounters delta = ctx.probe().snapshot().minus(before);
                long seqAfter = ctx.probe().lastSeq(session);
                bytes.put(turn, new WindowBytes(ctx.probe().eventBytes(session, seqBefore, seqAfter) / (double) WINDOW,
                        delta.walBytes() / (double) WINDOW, (seqAfter - seqBefore) / (double) WINDOW));
                before = null;
            }
            if (turn % 100 == 0) {
                System.out.printf("  turn %d: median of the last 10 turns %.1f ms%n", turn,
                        LatencySummary.medianMs(latency, turn - 10, turn));
            }
            if (turn % 10 == 0) {
                ctx.results().point("latency-vs-session-length", ctx.label(), turn - 4.5,
                        LatencySummary.medianMs(latency, turn - 10, turn));
            }
        }
        return section(ctx, turns, latency, bytes, notCompleted);
    }

    private static Section section(ScenarioContext ctx, int turns, long[] latency, Map<Integer, WindowBytes> bytes,
            int notCompleted) {
        int w = Math.min(WINDOW, turns);
        double first = LatencySummary.medianMs(latency, 0, w);
        double last = LatencySummary.medianMs(latency, turns - w, turns);
        Section s = new Section("2-growth-" + ctx.latencyMs(), "2. Growth of one session (" + ctx.label() + ")")
                .config("model latency ms", ctx.latencyMs()).config("turns", turns)
                .config("bytes measured over", WINDOW + " turns ending at turns " + bytes.keySet());
        s.figure(Figure.of("median latency, turns 1-" + w, first, "ms"));
        s.figure(Figure.of("median latency, turns " + (turns - w + 1) + "-" + turns, last, "ms"));
        double ratio = last / first;
        s.figure(ctx.targetsApply() ? Figure.atMost("last / first ten turns", ratio, "x", 1.5, "<= 1.5")
                : Figure.of("last / first ten turns", ratio, "x"));
        WindowBytes at100 = bytes.get(100);
        WindowBytes atEnd = bytes.get(turns);
        bytes.forEach((end, b) -> {
            s.figure(Figure.of("event rows per turn at turn " + end, b.events(), "rows"));
            s.figure(Figure.of("event bytes stored per turn at turn " + end, b.eventBytes(), "bytes"));
            s.figure(Figure.of("WAL bytes per turn at turn " + end + " (server-wide)", b.walBytes(), "bytes"));
        });
        if (at100 != null && atEnd != null && turns != 100) {
            double eventRatio = atEnd.eventBytes() / at100.eventBytes();
            s.figure(ctx.targetsApply() ? Figure.atMost("event bytes per turn, end / turn 100", eventRatio, "x", 1.05,
                    "same (<= 1.05)") : Figure.of("event bytes per turn, end / turn 100", eventRatio, "x"));
            s.figure(Figure.of("WAL bytes per turn, end / turn 100", atEnd.walBytes() / at100.walBytes(), "x"));
        }
        s.figure(Figure.of("turns not completed", notCompleted, "turns"));
        s.note("Bytes: 'event bytes stored' is pg_column_size of the event rows the ten turns appended (exact, this"
                + " database only); WAL bytes are the server's WAL position delta over the ten turns, which also"
                + " counts other databases' writes on a shared server (so only a low, repeated figure is telling)."
                + " Rows per turn are in scenario 4.");
        s.detail("latency ms per turn", java.util.Arrays.stream(latency).mapToDouble(n -> n / 1e6).toArray());
        return s;
    }

    /** What one turn wrote, averaged over a window of ten turns. */
    record WindowBytes(double eventBytes, double walBytes, double events) {
    }
}
