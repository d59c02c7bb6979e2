package dev.berth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DbOutageProxyTest {
    private static PostgresDatabase database;
    private static DbOutageProxy proxy;

    @BeforeAll
    static void start() {
        database = PostgresDatabase.create();
        proxy = DbOutageProxy.inFrontOf(database);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        database.close();
    }

    @Test
    void aCutClosesOpenConnectionsAndRefusesNewOnesUntilRestored() throws SQLException {
        // Given a connection through the proxy that works
        try (Connection before = connect()) {
            assertThat(selectOne(before)).isEqualTo(1);

            // When the proxy is cut
            proxy.cut();

            // Then the open connection is gone and a new one is refused
            assertThatThrownBy(() -> selectOne(before)).isInstanceOf(SQLException.class);
            assertThatThrownBy(DbOutageProxyTest::connect).isInstanceOf(SQLException.class);
            assertThat(proxy.refusedConnections()).isPositive();
        } finally {
            proxy.restore();
        }
        // And after the restore new connections work again
        try (Connection after = connect()) {
            assertThat(selectOne(after)).isEqualTo(1);
        }
    }

    @Test
    void aBlackholeHoldsNewConnectionsUnansweredUntilTheRestore() throws SQLException {
        proxy.cut(DbOutageProxy.Mode.BLACKHOLE);
        long started = System.nanoTime();
        try {
            Properties props = credentials();
            props.setProperty("connectTimeout", "1");
            props.setProperty("loginTimeout", "1");
            assertThatThrownBy(() -> DriverManager.getConnection(jdbcUrl(), props).close())
                    .isInstanceOf(SQLException.class);
            // The client waited for its own timeout: nothing answered it.
            assertThat(System.nanoTime() - started).isGreaterThan(900_000_000L);
        } finally {
            proxy.restore();
        }
        try (Connection after = connect()) {
            assertThat(selectOne(after)).isEqualTo(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), credentials());
    }

    private static String jdbcUrl() {
        return "jdbc:" + proxy.url(database);
    }

    private static Properties credentials() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "");
        return props;
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
