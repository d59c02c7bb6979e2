package dev.berth.deploy;

import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PostgresDatabase;
import dev.berth.testsupport.oidc.TestIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.mutiny.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Starts what a Berth under test talks to, for real: a PostgreSQL database of its own
 * (dropped afterwards), the fake model server over HTTP, and OIDC issuers over HTTP (ADR 0030), so
 * every in-JVM test runs with tokens accepted beside the keys it uses.
 */
public class BerthTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_KEY = "brt_test_admin_key_for_quarkus_tests";
    /** The audience Berth accepts from the test issuers. */
    public static final String AUDIENCE = "berth-test";
    /** The claim that names the Berth tenant in tokens of {@link #issuer()} and {@link #rotatingIssuer()}. */
    public static final String TENANT_CLAIM = "berth_tenant";
    /** The one Berth tenant of {@link #fixedIssuer()} (created by the tests that use it). */
    public static final UUID FIXED_TENANT = UUID.fromString("0c0ffee0-0000-4000-8000-00000000f1ed");

    private static volatile TestIssuer issuer;
    private static volatile TestIssuer fixedIssuer;
    private static volatile TestIssuer rotatingIssuer;

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

    /** Keycloak-like: the Berth tenant in a claim, roles in {@code roles}, the user in {@code sub}. */
    public static TestIssuer issuer() {
        return issuer;
    }

    /** Entra-like: one Berth tenant for all its tokens, roles in {@code realm_access.roles}, the user in {@code oid}. */
    public static TestIssuer fixedIssuer() {
        return fixedIssuer;
    }

    /** As {@link #issuer()}, kept for the key rotation test (its JWKS refresh state is its own). */
    public static TestIssuer rotatingIssuer() {
        return rotatingIssuer;
    }

    @Override
    public Map<String, String> start() {
        database = PostgresDatabase.create();
        // Quarkus's HTTP recorder sets the system property vertx.disableWebsockets when the application
        // serves no WebSocket; a fake started after an earlier application of this JVM (a test profile
        // restarts it) would then answer WebSocket-mode upgrades as plain GETs (404). The fake speaks
        // WebSocket mode (ADR 0042) whatever the application under test does.
        System.clearProperty("vertx.disableWebsockets");
        vertx = Vertx.vertx();
        fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
        issuer = TestIssuer.start("/realms/berth");
        fixedIssuer = TestIssuer.start("/" + UUID.randomUUID() + "/v2.0");
        rotatingIssuer = TestIssuer.start("/realms/rotating");
        Map<String, String> config = new HashMap<>(Map.ofEntries(
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
                Map.entry("berth.api.idempotency-wait", "2s")));
        String main = "berth.auth.oidc.issuers.main.";
        config.put(main + "issuer", issuer.issuer());
        config.put(main + "audience", AUDIENCE);
        config.put(main + "tenant-claim", TENANT_CLAIM);
        String fixed = "berth.auth.oidc.issuers.fixed.";
        config.put(fixed + "issuer", fixedIssuer.issuer());
        config.put(fixed + "audience", "api://berth-fixed," + AUDIENCE);
        config.put(fixed + "tenant", FIXED_TENANT.toString());
        config.put(fixed + "roles-claim", "realm_access.roles");
        config.put(fixed + "subject-claim", "oid");
        String rotating = "berth.auth.oidc.issuers.rotating.";
        config.put(rotating + "issuer", rotatingIssuer.issuer());
        config.put(rotating + "audience", AUDIENCE);
        config.put(rotating + "tenant-claim", TENANT_CLAIM);
        return config;
    }

    @Override
    public void stop() {
        for (TestIssuer started : new TestIssuer[] {issuer, fixedIssuer, rotatingIssuer}) {
            if (started != null) {
                started.close();
            }
        }
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
