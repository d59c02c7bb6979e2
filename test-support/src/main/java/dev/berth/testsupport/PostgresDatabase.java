package dev.berth.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A PostgreSQL database of a test's own: a fresh database on the local server when one
 * listens on 127.0.0.1:5432 (dropped on close), otherwise an embedded PostgreSQL started for
 * the test. {@link #embedded(Path)} always starts one, so that a test may restart or crash it.
 */
public final class PostgresDatabase implements AutoCloseable {
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;

    private final String host;
    private final String name;
    private final Path dataDir;
    private int port;
    private EmbeddedPostgres embedded;

    private PostgresDatabase(String host, int port, String name, EmbeddedPostgres embedded, Path dataDir) {
        this.host = host;
        this.port = port;
        this.name = name;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    /** A new, empty database: on the local server if there is one, else embedded. */
    public static PostgresDatabase create() {
        String name = "berth_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (localServerListens()) {
            execute(LOCAL_PORT, "postgres", "create database " + name);
            return new PostgresDatabase(LOCAL_HOST, LOCAL_PORT, name, null, null);
        }
        try {
            return embedded(Files.createTempDirectory("berth-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An embedded PostgreSQL with its data in {@code dataDir}, which {@link #restart()} can restart. */
    public static PostgresDatabase embedded(Path dataDir) {
        EmbeddedPostgres pg = startEmbedded(dataDir, 0);
        execute(pg.getPort(), "postgres", "create database berth");
        return new PostgresDatabase(LOCAL_HOST, pg.getPort(), "berth", pg, dataDir);
    }

    /** {@code postgresql://host:port/name}: the form of {@code BERTH_DB_URL}. */
    public String url() {
        return "postgresql://" + host + ":" + port + "/" + name;
    }

    public String jdbcUrl() {
        return "jdbc:" + url();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database's name on its server. */
    public String name() {
        return name;
    }

    /** Opens a JDBC connection to the database, as user {@code postgres}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Stops the embedded server and starts it again on the same port and data; clients see their connections drop. */
    public void restart() {
        if (embedded == null) {
            throw new IllegalStateException("only an embedded database can be restarted");
        }
        stopEmbedded();
        embedded = startEmbedded(dataDir, port);
    }

    /**
     * Crashes the embedded server and starts it again on the same port and data: SIGQUIT to the
     * postmaster, which is what {@code pg_ctl stop -m immediate} sends. Every server process
     * quits at once, without a checkpoint or a clean shutdown, so the next start runs crash
     * recovery from the WAL, as after a power cut or an OOM kill.
     */
    public void crashAndRestart() {
        if (embedded == null) {
            throw new IllegalStateException("only a running embedded database can be crashed");
        }
        long postmaster = postmasterPid();
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -QUIT " + postmaster + " failed");
            }
            awaitExit(postmaster, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // Its pg_ctl stop finds no server (logged, not thrown); this releases the data directory's lock.
        stopEmbedded();
        embedded = startEmbedded(dataDir, port);
    }

    /**
     * Polls until the postmaster is gone: it removes {@code postmaster.pid} as it exits (what
     * {@code pg_ctl stop} waits for), or its process has ended, or only its zombie is left (it
     * is not this JVM's child, and whoever inherits it may not reap it at once).
     */
    private void awaitExit(long postmaster, Duration atMost) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Path stat = Path.of("/proc", Long.toString(postmaster), "stat");
        long deadline = System.nanoTime() + atMost.toNanos();
        while (Files.exists(pidFile) && Files.exists(stat) && !zombie(stat)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL (pid " + postmaster + ") did not exit within " + atMost
                        + " of SIGQUIT");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static boolean zombie(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The postmaster's process id: the first line of {@code postmaster.pid} in the data directory. */
    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the embedded server (clients see it down) until {@link #start()}. */
    public void stopServer() {
        stopEmbedded();
    }

    public void start() {
        if (embedded == null) {
            embedded = startEmbedded(dataDir, port);
        }
    }

    @Override
    public void close() {
        if (dataDir != null) {
            stopEmbedded();
            return;
        }
        execute(port, "postgres", "drop database if exists " + name + " with (force)");
    }

    private void stopEmbedded() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded = null;
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    // The library's default is off, under which a crash loses commits already
                    // acknowledged: a crash test would then find events lost that production
                    // PostgreSQL (on by default) keeps.
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL in " + dataDir, e);
        }
    }

    private static boolean localServerListens() {
        if ("embedded".equals(System.getenv("BERTH_TEST_DB"))) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOCAL_HOST, LOCAL_PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void execute(int port, String database, String sql) {
        String url = "jdbc:postgresql://" + LOCAL_HOST + ":" + port + "/" + database;
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + url, e);
        }
    }
}
