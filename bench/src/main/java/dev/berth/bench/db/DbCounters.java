package dev.berth.bench.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * The database's own cumulative counters at one moment: {@code pg_stat_database} for the
 * benchmark's database, {@code pg_stat_user_tables} per table, and the server's WAL position.
 * The WAL position is server-wide, so it includes other databases' traffic on a shared server.
 */
public record DbCounters(long xactCommit, long xactRollback, long tupInserted, long tupUpdated, long tupDeleted,
        long walBytes, Map<String, TableCounts> tables) {

    /** Row counters of one table. */
    public record TableCounts(long inserted, long updated, long hotUpdated, long deleted) {
        TableCounts minus(TableCounts o) {
            return new TableCounts(inserted - o.inserted, updated - o.updated, hotUpdated - o.hotUpdated,
                    deleted - o.deleted);
        }
    }

    public DbCounters minus(DbCounters earlier) {
        Map<String, TableCounts> diff = new TreeMap<>();
        tables.forEach((name, now) -> diff.put(name,
                now.minus(earlier.tables.getOrDefault(name, new TableCounts(0, 0, 0, 0)))));
        return new DbCounters(xactCommit - earlier.xactCommit, xactRollback - earlier.xactRollback,
                tupInserted - earlier.tupInserted, tupUpdated - earlier.tupUpdated, tupDeleted - earlier.tupDeleted,
                walBytes - earlier.walBytes, diff);
    }

    /** Rows written: inserted + updated + deleted. */
    public long rowsWritten() {
        return tupInserted + tupUpdated + tupDeleted;
    }
}
