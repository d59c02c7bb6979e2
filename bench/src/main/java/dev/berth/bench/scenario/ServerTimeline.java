package dev.berth.bench.scenario;

import dev.berth.bench.db.DbProbe;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a turn's time goes, read back from the database after the fact: the run's
 * {@code created_at} (input committed), {@code started_at} (claimed) and {@code finished_at},
 * and the {@code created_at} of each event the run appended. PostgreSQL's {@code now()} is the
 * start of the writing transaction, so each mark is "the commit of that step began".
 */
final class ServerTimeline {
    private static final String[] SEGMENTS = {"input committed -> run claimed", "claimed -> step 1 (model) committed",
        "step 1 -> step 2 (tool) committed", "step 2 -> step 3 (model) committed", "step 3 -> run finished"};

    private ServerTimeline() {
    }

    /** Adds the median of each segment, in ms, over the given runs of three steps. */
    static void addTo(Section s, DbProbe probe, List<String> runIds) {
        List<List<Long>> segments = new ArrayList<>();
        for (int i = 0; i < SEGMENTS.length; i++) {
            segments.add(new ArrayList<>());
        }
        for (Map.Entry<String, long[]> run : marks(probe, runIds).entrySet()) {
            long[] m = run.getValue(); // created, started, e1, e2, e3, finished (micros)
            for (int i = 0; i < SEGMENTS.length; i++) {
                segments.get(i).add((m[i + 1] - m[i]) * 1000);
            }
        }
        for (int i = 0; i < SEGMENTS.length; i++) {
            long[] nanos = segments.get(i).stream().mapToLong(Long::longValue).toArray();
            s.figure(Figure.of("server timeline: " + SEGMENTS[i] + " (median)",
                    LatencySummary.ofNanos(nanos).p50Ms(), "ms"));
        }
        long errors = toolErrors(probe, runIds);
        s.figure(Figure.of("tool results that are errors", errors, "of " + runIds.size()));
        if (errors > 0) {
            s.note("The tool step returned an error result in " + errors + " turns: the fake's demo brain passes the"
                    + " last word of the input as the tool's required argument (timeZone=\"time\"), which"
                    + " current_time rejects. The turn still has its three steps; the tool step commits an error"
                    + " result instead of a time.");
        }
    }

    private static long toolErrors(DbProbe probe, List<String> runIds) {
        try (PreparedStatement ps = probe.connection().prepareStatement("select count(*) from events"
                + " where run_id = any(?) and type = 'tool.result' and payload->>'error' is not null")) {
            probe.connection().setAutoCommit(true);
            ps.setArray(1, probe.connection().createArrayOf("uuid", runIds.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Map<String, long[]> marks(DbProbe probe, List<String> runIds) {
        Map<String, long[]> marks = new LinkedHashMap<>();
        String sql = """
                select r.id, r.created_at, r.started_at, r.finished_at,
                       array_agg(e.created_at order by e.seq) filter (where e.type <> 'user.message') as steps
                  from runs r join events e on e.run_id = r.id
                 where r.id = any(?)
                 group by r.id, r.created_at, r.started_at, r.finished_at""";
        try {
            probe.connection().setAutoCommit(true);
            try (PreparedStatement ps = probe.connection().prepareStatement(sql)) {
                ps.setArray(1, probe.connection().createArrayOf("uuid",
                        runIds.stream().map(UUID::fromString).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp[] steps = (Timestamp[]) rs.getArray(5).getArray();
                        if (steps.length != 3 || rs.getTimestamp(3) == null || rs.getTimestamp(4) == null) {
                            continue; // not a three-step turn
                        }
                        marks.put(rs.getString(1), new long[] {micros(rs.getTimestamp(2)), micros(rs.getTimestamp(3)),
                            micros(steps[0]), micros(steps[1]), micros(steps[2]), micros(rs.getTimestamp(4))});
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the runs' timeline", e);
        }
        return marks;
    }

    private static long micros(Timestamp t) {
        return t.getTime() / 1000 * 1_000_000 + t.getNanos() / 1000;
    }
}
