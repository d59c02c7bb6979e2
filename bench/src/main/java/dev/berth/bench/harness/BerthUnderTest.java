package dev.berth.bench.harness;

import dev.berth.bench.http.BerthClient;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PostgresDatabase;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Berth to measure, with the database it writes to: either a process started here on a
 * fresh database (closed with it), or a running Berth given by URL (left alone).
 */
public final class BerthUnderTest implements AutoCloseable {
    private final PostgresDatabase database;
    private final BerthProcess process;
    private final String jdbcUrl;
    private final BerthClient client;
    private final Long externalPid;

    private BerthUnderTest(PostgresDatabase database, BerthProcess process, String jdbcUrl, BerthClient client,
            Long externalPid) {
        this.database = database;
        this.process = process;
        this.jdbcUrl = jdbcUrl;
        this.client = client;
        this.externalPid = externalPid;
    }

    /** A fresh database and a Berth process on it; {@code dbPort} redirects Berth (not us) through a proxy. */
    public static BerthUnderTest start(String name, PostgresDatabase database, String modelUrl,
            Map<String, String> env, Integer dbPortForBerth) {
        String dbUrl = database.url();
        if (dbPortForBerth != null) {
            URI u = URI.create(dbUrl.replace("postgresql://", "http://"));
            dbUrl = "postgresql://" + u.getHost() + ":" + dbPortForBerth + u.getPath();
        }
        // BerthProcess uses the name as the lease owner id and in its log file's name.
        BerthProcess process;
        try {
            process = BerthProcess.create(name, dbUrl, modelUrl, withoutRateCeiling(env)).start();
        } catch (RuntimeException e) {
            database.close(); // nothing will use it
            throw e;
        }
        return new BerthUnderTest(database, process, database.jdbcUrl(),
                new BerthClient(process.baseUrl(), BerthProcess.ADMIN_KEY), null);
    }

    /**
     * The scenarios drive one tenant far beyond the default rate limit (ADR 0029): they measure the
     * runtime, not the limiter, so the limit is raised out of reach unless a scenario sets it. The
     * limiter itself still runs (one statement a request), as in production.
     */
    private static Map<String, String> withoutRateCeiling(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putIfAbsent("BERTH_QUOTA_REQUESTS_PER_SECOND", "1000000000");
        all.putIfAbsent("BERTH_QUOTA_BURST", "1000000000");
        // Past the count quotas too (ADR 0031): scenario 7 alone opens 100,000 sessions.
        for (String quota : new String[] {"LIVE_SESSIONS", "AGENTS", "AGENT_VERSIONS", "MEMORIES", "API_KEYS",
                "STORED_BYTES"}) {
            all.putIfAbsent("BERTH_QUOTA_MAX_" + quota, "1000000000");
        }
        return all;
    }

    /** A Berth already running at {@code url}, writing to {@code dbUrl} ({@code postgresql://host:port/db}). */
    public static BerthUnderTest external(String url, String key, String dbUrl, Long pid) {
        return new BerthUnderTest(null, null, "jdbc:" + dbUrl, new BerthClient(url, key), pid);
    }

    public BerthClient client() {
        return client;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database's name, for pgbench. */
    public String databaseName() {
        String path = URI.create(jdbcUrl.substring("jdbc:".length()).replace("postgresql://", "http://")).getPath();
        return path.substring(1);
    }

    /** The operating-system process id, when known (for jcmd). */
    public Optional<Long> pid() {
        return process != null ? Optional.of(process.pid()) : Optional.ofNullable(externalPid);
    }

    /** Stops Berth (SIGTERM, so it drains) but keeps the database for measurements that follow. */
    public void stopProcess() {
        if (process != null && process.alive()) {
            process.stop();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
