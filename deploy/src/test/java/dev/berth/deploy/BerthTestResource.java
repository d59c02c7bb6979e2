package dev.berth.deploy;

import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PostgresDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;

/**
 * Starts what a Berth under test talks to, for real: a PostgreSQL database of its own
 * (dropped afterwards) and the fake model server over HTTP.
 */
public class BerthTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_KEY = "brt_test_admin_key_for_quarkus_tests";

    private static volatile FakeModelServer fake;
    private static volatile PostgresDatabase database;
    private Vertx vertx;

    /** The fake model the application under test calls. */
    public static FakeModelServer fake() {
        return fake;
    }

    public static PostgresDatabase database() {
        return database;
    }

    @Override
    public Map<String, String> start() {
        database = PostgresDatabase.create();
        vertx = Vertx.vertx();
        fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
        return Map.ofEntries(
                Map.entry("berth.memory.job-poll-interval", "200ms"),
                Map.entry("berth.memory.job-backoff", "200ms"),
                Map.entry("berth.engine.sweep-interval", "1s"),
                Map.entry("berth.db.url", database.url()),
                Map.entry("berth.model.endpoint", fake.openAiBaseUrl()),
                Map.entry("berth.model.flavour", "openai"),
                Map.entry("berth.bootstrap-key", ADMIN_KEY),
                Map.entry("berth.engine.poll-interval", "200ms"),
                Map.entry("berth.engine.heartbeat-interval", "1s"),
                Map.entry("berth.engine.lease-ttl", "5s"),
                // A request with an Idempotency-Key held by another in flight gives up sooner (IdempotencyKeyTest).
                Map.entry("berth.api.idempotency-wait", "2s"));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (database != null) {
            database.close();
        }
    }
}
