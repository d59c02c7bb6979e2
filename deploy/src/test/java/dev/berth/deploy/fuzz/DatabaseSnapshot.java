package dev.berth.deploy.fuzz;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Row count and content hash of every table in the {@code public} schema, found at run time (a
 * new table is covered without editing this class). With a tenant, only that tenant's rows are
 * taken: {@code tenant_id} columns, and the {@code tenants} row itself; tables without a tenant
 * column are taken whole.
 *
 * <p>The hash is the MD5 of the sorted MD5s of each row's text form, so it changes with any
 * column of any row, and not with physical row order.
 */
public record DatabaseSnapshot(Map<String, Table> tables) {
    /** Tables every request writes by design, left out of snapshots. */
    private static final Set<String> BOOKKEEPING = Set.of("rate_buckets");


    /** One table: rows and content hash. */
    public record Table(long rows, String hash) {
    }

    /** Every table, all rows. */
    public static DatabaseSnapshot take(Connection connection) throws SQLException {
        return take(connection, null);
    }

    /** Every table, the rows of {@code tenant} only (all rows when {@code tenant} is null). */
    public static DatabaseSnapshot take(Connection connection, UUID tenant) throws SQLException {
        return take(connection, tenant, Set.of());
    }

    /** Like {@link #take(Connection, UUID)}, with the tables named in {@code whole} taken whole all the same. */
    public static DatabaseSnapshot take(Connection connection, UUID tenant, Set<String> whole) throws SQLException {
        Map<String, Set<String>> columns = columns(connection);
        Map<String, Table> tables = new TreeMap<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, Set<String>> table : columns.entrySet()) {
                String name = table.getKey();
                String where = "";
                if (whole.contains(name)) {
                    where = "";
                } else if (tenant != null && table.getValue().contains("tenant_id")) {
                    where = " where t.tenant_id = '" + tenant + "'";
                } else if (tenant != null && name.equals("tenants")) {
                    where = " where t.id = '" + tenant + "'";
                }
                if (name.equals("audit_log")) {
                    // A refused authentication is recorded by design (sampled, ADR 0034): the refusal's own
                    // record, not a change the request made. Every other audit row counts.
                    where = (where.isEmpty() ? " where " : where + " and ") + "t.action <> 'auth.failed'";
                }
                if (BOOKKEEPING.contains(name)) {
                    // Every request, refused or not, spends a token of its tenant's rate bucket (ADR 0029), and a
                    // tenant's first request creates it: the limiter's bookkeeping, not something the request wrote.
                    continue;
                }
                try (ResultSet row = statement.executeQuery("select count(*), md5(coalesce(string_agg(md5(t::text), ','"
                        + " order by md5(t::text)), '')) from \"" + name + "\" t" + where)) {
                    row.next();
                    tables.put(name, new Table(row.getLong(1), row.getString(2)));
                }
            }
        }
        return new DatabaseSnapshot(Map.copyOf(tables));
    }

    /** What differs from {@code later}, one line per table: {@code table: rows 3 -> 4, content changed}. */
    public List<String> differences(DatabaseSnapshot later) {
        List<String> lines = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(new TreeMap<>(tables).keySet());
        names.addAll(new TreeMap<>(later.tables).keySet());
        for (String name : names) {
            Table before = tables.get(name);
            Table after = later.tables.get(name);
            if (before == null || after == null) {
                lines.add(name + ": table " + (before == null ? "appeared" : "disappeared"));
            } else if (!before.equals(after)) {
                lines.add(name + ": rows " + before.rows() + " -> " + after.rows()
                        + (before.hash().equals(after.hash()) ? "" : ", content changed"));
            }
        }
        return lines;
    }

    public long totalRows() {
        return tables.values().stream().mapToLong(Table::rows).sum();
    }

    private static Map<String, Set<String>> columns(Connection connection) throws SQLException {
        Map<String, Set<String>> columns = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select c.table_name, c.column_name from information_schema.columns c"
                        + " join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name"
                        + " where c.table_schema = 'public' and t.table_type = 'BASE TABLE'")) {
            while (rows.next()) {
                columns.computeIfAbsent(rows.getString(1), k -> new LinkedHashSet<>()).add(rows.getString(2));
            }
        }
        return columns;
    }
}
