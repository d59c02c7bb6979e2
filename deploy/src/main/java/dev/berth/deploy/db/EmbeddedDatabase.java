package dev.berth.deploy.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL Berth starts for itself when no database is configured, so that a fresh
 * machine needs nothing installed. Its data directory persists, so sessions survive a
 * restart. Not for production: configure {@code BERTH_DB_URL} there.
 */
public final class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static volatile EmbeddedPostgres running;

    private EmbeddedDatabase() {
    }

    /** Starts PostgreSQL on a free loopback port with its data in {@code dataDir}; returns its URL. */
    public static synchronized String start(Path dataDir) {
        if (running != null) {
            return url(running);
        }
        try {
            Files.createDirectories(dataDir);
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // The library's defaults suit tests (no fsync, asynchronous commit); Berth's own data
                    // must survive a crash once a commit is acknowledged (guarantee 1), so both are on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            createDatabase(running);
            LOG.infof("Started embedded PostgreSQL on port %d with data in %s (set BERTH_DB_URL to use your own)",
                    running.getPort(), dataDir.toAbsolutePath());
            return url(running);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** Stops the embedded PostgreSQL, if this process started one. */
    public static synchronized void stop() {
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                LOG.warnf("Could not stop the embedded PostgreSQL cleanly: %s", e.getMessage());
            }
            running = null;
        }
    }

    private static void createDatabase(EmbeddedPostgres pg) {
        try (var connection = pg.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = 'berth'");
            if (!exists.next()) {
                statement.execute("create database berth");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the database 'berth' in the embedded PostgreSQL", e);
        }
    }

    private static String url(EmbeddedPostgres pg) {
        return "postgresql://127.0.0.1:" + pg.getPort() + "/berth";
    }
}
