package dev.berth.bench.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads counters and sizes from the benchmark's database over its own JDBC connection.
 *
 * <p>PostgreSQL 15 backends publish their table and transaction statistics at most once a
 * second, and a backend that goes idle within a second of its last report publishes only
 * after 10 s idle (PGSTAT_IDLE_INTERVAL); a snapshot right after a burst would miss its tail,
 * so {@link #settledSnapshot()} waits that long first. The WAL position needs no wait. The
 * probe's own queries are one read-only transaction per snapshot.
 */
public final class DbProbe implements AutoCloseable {
    /** Longer than PostgreSQL's idle statistics flush interval (10 s). */
    private static final Duration STATS_FLUSH = Duration.ofMillis(11_000);
    private final Connection connection;

    public DbProbe(String jdbcUrl) {
        try {
            this.connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + jdbcUrl, e);
        }
    }

    /** Waits for backends to publish their statistics, then snapshots. */
    public DbCounters settledSnapshot() {
        LockSupport.parkNanos(STATS_FLUSH.toNanos());
        return snapshot();
    }

    public DbCounters snapshot() {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                // Statistics are cached per transaction (stats_fetch_consistency=cache): drop the cache.
                st.execute("select pg_stat_clear_snapshot()");
                long[] db = new long[5];
                try (ResultSet rs = st.executeQuery("select xact_commit, xact_rollback, tup_inserted, tup_updated,"
                        + " tup_deleted from pg_stat_database where datname = current_database()")) {
                    rs.next();
                    for (int i = 0; i < 5; i++) {
                        db[i] = rs.getLong(i + 1);
                    }
                }
                long wal;
                try (ResultSet rs = st.executeQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
                    rs.next();
                    wal = rs.getLong(1);
                }
                Map<String, DbCounters.TableCounts> tables = new TreeMap<>();
                try (ResultSet rs = st.executeQuery("select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del"
                        + " from pg_stat_user_tables")) {
                    while (rs.next()) {
                        tables.put(rs.getString(1), new DbCounters.TableCounts(rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5)));
                    }
                }
                connection.commit();
                return new DbCounters(db[0], db[1], db[2], db[3], db[4], wal, tables);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the database's statistics", e);
        }
    }

    /** The session's highest event sequence. */
    public long lastSeq(UUID sessionId) {
        return queryLong("select last_seq from sessions where id = ?", sessionId);
    }

    /** Bytes of the session's event rows with sequence in (afterSeq, toSeq], as stored (pg_column_size). */
    public long eventBytes(UUID sessionId, long afterSeq, long toSeq) {
        return queryLong("select coalesce(sum(pg_column_size(e.*)), 0) from events e"
                + " where session_id = ? and seq > ? and seq <= ?", sessionId, afterSeq, toSeq);
    }

    /** Whether the server can report per-statement statistics (the extension is loaded and installed). */
    public String pgStatStatementsStatus() {
        try (Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("select count(*) from pg_available_extensions"
                    + " where name = 'pg_stat_statements'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return "not available on this server";
                }
            }
            try (ResultSet rs = st.executeQuery("show shared_preload_libraries")) {
                rs.next();
                if (!rs.getString(1).contains("pg_stat_statements")) {
                    return "available but not in shared_preload_libraries (a server setting the benchmark cannot change)";
                }
            }
            return "loaded";
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /** Connections a new client may still open: max_connections - superuser reserve - in use. */
    public int freeConnections() {
        long used = queryLong("select count(*) from pg_stat_activity where backend_type = 'client backend'");
        return (int) (maxClientConnections() - used);
    }

    /** max_connections less the connections reserved for superusers. */
    public int maxClientConnections() {
        return (int) queryLong("select current_setting('max_connections')::int"
                + " - current_setting('superuser_reserved_connections')::int");
    }

    public String serverVersion() {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("show server_version")) {
            connection.setAutoCommit(true);
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown";
        }
    }

    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    /** Runs a query returning one long. */
    private long queryLong(String sql, Object... params) {
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Gives the probe's connection for scenario-specific queries (e.g. watching leases). */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing is best effort
        }
    }
}
