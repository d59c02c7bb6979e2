package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KEDA trigger's SQL runs against the real schema: a fresh PostgreSQL database migrated
 * with Berth's own Flyway scripts, in order.
 */
class ScaledObjectQueryTest {
    private static final Path MIGRATIONS = Manifests.ROOT.resolve("../session-store/src/main/resources/db/migration");
    private static final List<String> STATUSES = List.of(
            "queued", "running", "requires_action", "completed", "failed", "cancelled", "expired");

    private static PostgresDatabase database;

    @BeforeAll
    static void migrate() throws Exception {
        database = PostgresDatabase.create();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (Path migration : migrations()) {
                statement.execute(Files.readString(migration));
            }
        }
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void queryCountsQueuedAndRunningRunsOnly() throws SQLException {
        // Given one run in each status (one running per session, as the schema demands)
        try (Connection connection = database.connect()) {
            insertRunsInEveryStatus(connection);

            // When KEDA's query runs
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(query())) {

                // Then it returns one number: the queued and the running run
                assertThat(result.getMetaData().getColumnCount()).isEqualTo(1);
                assertThat(result.getMetaData().getColumnType(1)).isIn(Types.BIGINT, Types.INTEGER, Types.NUMERIC);
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(2);
                assertThat(result.next()).isFalse();
            }
        }
    }

    @Test
    void queryCanBeServedByTheLiveRunsIndex() throws SQLException {
        // Given the migrated schema, with sequential scans discouraged as on a large table
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("set enable_seqscan = off");

            // When PostgreSQL plans KEDA's query
            StringBuilder plan = new StringBuilder();
            try (ResultSet result = statement.executeQuery("explain " + query())) {
                while (result.next()) {
                    plan.append(result.getString(1)).append('\n');
                }
            }

            // Then it reads the partial index of queued and running runs, not the whole table
            assertThat(plan).contains("runs_live");
        }
    }

    private static String query() {
        RenderedObject scaledObject = Manifests.get(Manifests.render("overlays/production"), "ScaledObject", "berth");
        return scaledObject.object().at("/spec/triggers/0/metadata/query").asText();
    }

    private static List<Path> migrations() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<Path> sql = files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b)))
                    .toList();
            assertThat(sql).as("Flyway migrations in " + MIGRATIONS).isNotEmpty();
            return sql;
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static void insertRunsInEveryStatus(Connection connection) throws SQLException {
        UUID tenant = UUID.randomUUID();
        try (Statement statement = connection.createStatement()) {
            statement.execute("insert into tenants (id, name) values ('" + tenant + "', 't')");
            statement.execute("insert into agents (tenant_id, name, version, definition) values ('" + tenant
                    + "', 'a', 1, '{}')");
            for (String status : STATUSES) {
                UUID session = UUID.randomUUID();
                statement.execute("insert into sessions (id, tenant_id, agent_name, agent_version, actor_id, status,"
                        + " input_policy) values ('" + session + "', '" + tenant + "', 'a', 1, 'actor', 'active', 'enqueue')");
                statement.execute("insert into runs (id, tenant_id, session_id, input_seq, status, agent_name,"
                        + " agent_version) values ('" + UUID.randomUUID() + "', '" + tenant + "', '" + session
                        + "', 1, '" + status + "', 'a', 1)");
            }
        }
    }
}
