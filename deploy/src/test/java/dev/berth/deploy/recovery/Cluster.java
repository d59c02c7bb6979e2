package dev.berth.deploy.recovery;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.DbOutageProxy;
import dev.berth.testsupport.PgBouncer;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the cross-process tests run against: an embedded PostgreSQL the test owns (so that it
 * may restart it), the fake model server with latency in this JVM, and several Berth
 * processes ({@code java -jar}) on loopback ports, named {@code p0, p1, ...} (their lease
 * owner ids).
 */
final class Cluster implements AutoCloseable {
    /** Short leases so that takeovers happen within a test; the heartbeat renews well before. */
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private final PostgresDatabase database;
    private final Vertx vertx;
    private final FakeModelServer fake;
    private final List<BerthProcess> processes = new CopyOnWriteArrayList<>();
    private final Duration leaseTtl;
    private final Duration heartbeat;
    private final Duration poll;
    /** Further environment of every process (configuration a test needs). */
    private final Map<String, String> env;
    /** The pooler the processes reach the database through, if any. */
    private PgBouncer bouncer;
    /** Between the processes and the database when a test cuts the database off ({@link #behindProxy}); else null. */
    private DbOutageProxy proxy;

    private Cluster(PostgresDatabase database, Vertx vertx, FakeModelServer fake, Duration leaseTtl,
            Duration heartbeat, Duration poll, Map<String, String> env) {
        this.database = database;
        this.vertx = vertx;
        this.fake = fake;
        this.leaseTtl = leaseTtl;
        this.heartbeat = heartbeat;
        this.poll = poll;
        this.env = Map.copyOf(env);
    }

    /** Starts the database, the fake model with {@code modelLatency}, and {@code size} processes in parallel. */
    static Cluster start(int size, Duration modelLatency) {
        return start(size, modelLatency, LEASE_TTL, Duration.ofSeconds(1));
    }

    /** As {@link #start(int, Duration)}, with the processes' lease TTL and heartbeat interval. */
    static Cluster start(int size, Duration modelLatency, Duration leaseTtl, Duration heartbeat) {
        return start(size, FakeOptions.defaults().withLatency(modelLatency), leaseTtl, heartbeat);
    }

    /** As {@link #start(int, Duration, Duration, Duration)}, with the fake model's options. */
    static Cluster start(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat) {
        return start(size, model, leaseTtl, heartbeat, Duration.ofMillis(250));
    }

    /**
     * As {@link #start(int, FakeOptions, Duration, Duration)}, with the interval at which each
     * process looks for claimable runs when no notification came ({@code berth.engine.poll-interval}).
     */
    static Cluster start(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat, Duration poll) {
        return start(size, model, leaseTtl, heartbeat, poll, Map.of());
    }

    /** As {@link #start(int, FakeOptions, Duration, Duration)}, with further environment for every process. */
    static Cluster start(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat, Map<String, String> env) {
        return start(size, model, leaseTtl, heartbeat, Duration.ofMillis(250), env);
    }

    /** As {@link #start(int, FakeOptions, Duration, Duration, Duration)}, with further environment for every process. */
    static Cluster start(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat, Duration poll,
            Map<String, String> env) {
        return start(size, model, leaseTtl, heartbeat, poll, env, false, false);
    }

    /**
     * As {@link #start(int, FakeOptions, Duration, Duration, Duration, Map)}, with the processes'
     * {@code BERTH_DB_URL} on a real PgBouncer in transaction mode in front of the database
     * ({@code BERTH_DB_POOLER=transaction}), and {@code BERTH_DB_DIRECT_URL} on the database itself
     * when {@code directUrl}.
     */
    static Cluster behindPgBouncer(int size, FakeOptions model, Duration poll, boolean directUrl,
            Map<String, String> env) {
        return start(size, model, LEASE_TTL, Duration.ofSeconds(1), poll, env, true, directUrl);
    }

    /**
     * As {@link #start(int, FakeOptions, Duration, Duration, Duration, Map)}, on a fresh database of
     * the local server, which the processes reach through a {@link DbOutageProxy} the test may cut.
     */
    static Cluster behindProxy(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat, Duration poll,
            Map<String, String> env) {
        PostgresDatabase database = PostgresDatabase.create();
        DbOutageProxy proxy = DbOutageProxy.inFrontOf(database);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("BERTH_DB_URL", proxy.url(database));
        Vertx vertx = Vertx.vertx();
        FakeModelServer fake = FakeModelServer.startAndAwait(vertx, model);
        Cluster cluster = new Cluster(database, vertx, fake, leaseTtl, heartbeat, poll, all);
        cluster.proxy = proxy;
        return cluster.launch(size);
    }

    private static Cluster start(int size, FakeOptions model, Duration leaseTtl, Duration heartbeat, Duration poll,
            Map<String, String> env, boolean pooled, boolean directUrl) {
        PostgresDatabase database;
        try {
            database = PostgresDatabase.embedded(Files.createTempDirectory("berth-recovery-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new java.util.HashMap<>(env);
        PgBouncer bouncer = null;
        if (pooled) {
            bouncer = PgBouncer.start(database);
            all.put("BERTH_DB_URL", bouncer.url());
            all.put("BERTH_DB_POOLER", "transaction");
            if (directUrl) {
                all.put("BERTH_DB_DIRECT_URL", database.url());
            }
        }
        Vertx vertx = Vertx.vertx();
        FakeModelServer fake = FakeModelServer.startAndAwait(vertx, model);
        Cluster cluster = new Cluster(database, vertx, fake, leaseTtl, heartbeat, poll, all);
        cluster.bouncer = bouncer;
        return cluster.launch(size);
    }

    /** Creates and starts {@code size} processes. */
    private Cluster launch(int size) {
        for (int i = 0; i < size; i++) {
            processes.add(create("p" + i));
        }
        try {
            // The first start migrates the schema; start it alone so the others find it migrated.
            processes.getFirst().start();
            processes.stream().skip(1).map(p -> CompletableFuture.runAsync(p::start)).toList()
                    .forEach(CompletableFuture::join);
        } catch (RuntimeException e) {
            // The test never gets the cluster to close: stop what did start (processes, pooler, proxy, database).
            close();
            throw e;
        }
        return this;
    }

    private BerthProcess create(String name) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(Map.of(
                "BERTH_ENGINE_LEASE_TTL", leaseTtl.toMillis() + "ms",
                "BERTH_ENGINE_HEARTBEAT_INTERVAL", heartbeat.toMillis() + "ms",
                "BERTH_ENGINE_POLL_INTERVAL", poll.toMillis() + "ms",
                "BERTH_ENGINE_SWEEP_INTERVAL", "1s",
                "BERTH_ENGINE_DRAIN_GRACE", "10s",
                // Quicker JVM starts on a small, shared CI machine (restarts happen while others work).
                "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        return BerthProcess.create(name, database.url(), fake.openAiBaseUrl(), all);
    }

    int size() {
        return processes.size();
    }

    BerthProcess process(int index) {
        return processes.get(index);
    }

    /** The process whose lease owner id is {@code name}. */
    int indexOf(String name) {
        return Integer.parseInt(name.substring(1));
    }

    /** One column of a run, read from the database as text; null when there is no such run. */
    String runColumn(String runId, String column) {
        try (Connection sql = sql(); var statement = sql.prepareStatement(
                "select " + column + "::text from runs where id = ?::uuid")) {
            statement.setString(1, runId);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded starts of a run's tool calls, oldest first, as "attempt:idempotency key". */
    List<String> toolStarts(String runId) {
        try (Connection sql = sql(); var statement = sql.prepareStatement(
                "select attempt || ':' || idempotency_key from tool_calls where run_id = ?::uuid order by attempt")) {
            statement.setString(1, runId);
            List<String> starts = new java.util.ArrayList<>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    starts.add(rows.getString(1));
                }
            }
            return starts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run as the API shows it once settled, read from whichever process is alive. */
    JsonNode settled(String runId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> anyLiveClient().run(runId, 10).body(),
                        body -> body != null && !List.of("queued", "running").contains(body.path("status").asText()));
    }

    BerthClient client(int index) {
        return BerthClient.of(processes.get(index));
    }

    /** A client of a random live process. */
    BerthClient anyLiveClient() {
        List<BerthProcess> live = processes.stream().filter(BerthProcess::alive).toList();
        return BerthClient.of(live.get(ThreadLocalRandom.current().nextInt(live.size())));
    }

    /** Replaces a stopped or killed process with a new one of the same name (and lease owner id), once it is ready. */
    BerthProcess restart(int index) {
        processes.get(index).close();
        // Listed only once ready: until then the dead process stands in its place, not alive.
        BerthProcess fresh = create("p" + index).start();
        processes.set(index, fresh);
        return fresh;
    }

    PostgresDatabase database() {
        return database;
    }

    /** The proxy the processes reach the database through ({@link #behindProxy}). */
    DbOutageProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("this cluster reaches its database directly: start it behindProxy");
        }
        return proxy;
    }

    FakeModelServer fake() {
        return fake;
    }

    /** The pooler in front of the database ({@link #behindPgBouncer}); null without one. */
    PgBouncer bouncer() {
        return bouncer;
    }

    Connection sql() {
        try {
            return database.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        processes.forEach(BerthProcess::close);
        if (proxy != null) {
            proxy.close();
        }
        fake.close();
        vertx.closeAndAwait();
        if (bouncer != null) {
            bouncer.close();
        }
        database.close();
    }
}
