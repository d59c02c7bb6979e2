package dev.berth.deploy.tools;

import dev.berth.deploy.BerthTestResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Days passing, for one session: every timestamp of its rows (the session, its runs, their
 * waits and tool starts, its events, ...) is moved back by the given time in SQL. PostgreSQL's
 * {@code now()} is Berth's clock for all it stores (pauses, resumptions, expiry), and the
 * engine counts a run's deadline from the stored start or resumption, so to Berth this is the
 * same as that time having passed. Tables and columns are found in the catalogue: a
 * timestamp column added later is aged too.
 */
final class ElapsedDays {
    private ElapsedDays() {
    }

    /** Makes {@code elapsed} pass for the session's rows (none of them may be leased meanwhile). */
    static void pass(String session, Duration elapsed) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); Statement statement = sql.createStatement()) {
            Map<String, List<String>> columns = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery("""
                    select c.table_name, c.column_name from information_schema.columns c
                     where c.table_schema = 'public' and c.data_type = 'timestamp with time zone'
                       and (c.table_name = 'sessions' or exists (select 1 from information_schema.columns s
                             where s.table_schema = 'public' and s.table_name = c.table_name
                               and s.column_name = 'session_id'))""")) {
                while (rows.next()) {
                    columns.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
                }
            }
            String shift = " - interval '" + elapsed.toSeconds() + " seconds'";
            // Events are append-only (a trigger refuses updates); this connection alone skips triggers to age them.
            statement.execute("set session_replication_role = replica");
            for (Map.Entry<String, List<String>> table : columns.entrySet()) {
                String set = String.join(", ", table.getValue().stream().map(c -> c + " = " + c + shift).toList());
                String key = "sessions".equals(table.getKey()) ? "id" : "session_id";
                statement.executeUpdate("update " + table.getKey() + " set " + set + " where " + key + " = '"
                        + session + "'");
            }
        }
    }

    /** A timestamp column of a run, as PostgreSQL stores it; null when not set. */
    static Instant runTime(String runId, String column) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); ResultSet rows = sql.createStatement()
                .executeQuery("select " + column + " from runs where id = '" + runId + "'")) {
            rows.next();
            return rows.getTimestamp(1) == null ? null : rows.getTimestamp(1).toInstant();
        }
    }
}
