package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.fake.FakeOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Count quotas (ADR 0031) across two Berth processes on one database: a burst of creations through
 * both is refused by both with 409 quota-exceeded once the tenant holds its limit, the total never
 * exceeds it, and deleting or revoking frees room. An admin's override (PUT /v1/quotas) wins over the
 * configured default, and null puts the default back.
 */
class QuotaIT {
    private static final int SESSIONS = 10;
    private static final int KEYS = 50;
    private static final int PER_PROCESS = 15;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PROBLEM = "https://berth.dev/problems/quota-exceeded";
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() {
        cluster = Cluster.start(2, FakeOptions.defaults(), Duration.ofSeconds(3), Duration.ofSeconds(1),
                Map.of("BERTH_QUOTA_MAX_LIVE_SESSIONS", Integer.toString(SESSIONS), "BERTH_QUOTA_MAX_API_KEYS",
                        Integer.toString(KEYS)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBurstOfSessionsThroughTwoProcessesStopsAtTheQuotaOnBothAndDeletingFreesRoom() throws Exception {
        // Given a new tenant with an agent, on the configured quota of 10 live sessions
        String key = newTenant("burst");
        cluster.client(0).withKey(key).defineAgent("a", "enqueue", List.of());

        // When 15 sessions are opened through each process at once (4 senders each), each with an idempotency key
        List<BerthClient.Reply> onA;
        List<BerthClient.Reply> onB;
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            Future<List<BerthClient.Reply>> a = senders.submit(() -> burst(senders, cluster.client(0).withKey(key)));
            Future<List<BerthClient.Reply>> b = senders.submit(() -> burst(senders, cluster.client(1).withKey(key)));
            onA = a.get();
            onB = b.get();
        }

        // Then exactly 10 were opened, both processes refused some with the quota problem naming quota, limit, use
        List<BerthClient.Reply> all = new ArrayList<>(onA);
        all.addAll(onB);
        assertThat(all).allSatisfy(r -> assertThat(r.status()).isIn(201, 409));
        assertThat(all.stream().filter(r -> r.status() == 201).count()).isEqualTo(SESSIONS);
        for (List<BerthClient.Reply> replies : List.of(onA, onB)) {
            assertThat(replies).filteredOn(r -> r.status() == 409).isNotEmpty().allSatisfy(r -> {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("type")).isEqualTo(PROBLEM);
                assertThat(r.text("quota")).isEqualTo("live-sessions");
                assertThat(r.body().path("limit").asLong()).isEqualTo(SESSIONS);
                assertThat(r.body().path("used").asLong()).isEqualTo(SESSIONS);
            });
        }
        // and the tenant holds 10 sessions, as the table and GET /v1/quotas say, and no refused request kept its key
        String tenant = tenantOf(key);
        assertThat(count("select count(*) from sessions where tenant_id = '" + tenant + "'")).isEqualTo(SESSIONS);
        assertThat(count("select count(*) from idempotency_keys where tenant_id = '" + tenant + "' and kind = 'session'"))
                .isEqualTo(SESSIONS);
        BerthClient.Reply quotas = cluster.client(1).withKey(key).send("GET", "/v1/quotas", null, TIMEOUT);
        assertThat(quotas.body().path("liveSessions").path("used").asLong()).isEqualTo(SESSIONS);
        assertThat(quotas.body().path("liveSessions").path("limit").asLong()).isEqualTo(SESSIONS);

        // When 3 sessions are deleted, Then 3 more can be opened (through either process), and the next is refused
        List<String> opened = all.stream().filter(r -> r.status() == 201).map(r -> r.text("id")).toList();
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.client(i % 2).withKey(key).send("DELETE", "/v1/sessions/" + opened.get(i), null, TIMEOUT)
                    .status()).isEqualTo(204);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(openSession(cluster.client(i % 2).withKey(key)).status()).isEqualTo(201);
        }
        assertThat(openSession(cluster.client(0).withKey(key)).status()).isEqualTo(409);
    }

    @Test
    void anAdminsOverrideLimitsKeysRevokingFreesOneAndNullRestoresTheDefault() throws Exception {
        // Given a tenant (its admin key is 1 key) whose admin sets a key quota of 2 through one process
        String key = newTenant("keys");
        BerthClient a = cluster.client(0).withKey(key);
        BerthClient b = cluster.client(1).withKey(key);
        BerthClient.Reply set = a.send("PUT", "/v1/quotas", Map.of("apiKeys", 2), TIMEOUT);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("apiKeys").path("override").asLong()).isEqualTo(2);

        // When two keys are created through the other process, Then the second is refused and writes nothing
        BerthClient.Reply first = b.send("POST", "/v1/api-keys", Map.of("name", "k1"), TIMEOUT);
        assertThat(first.status()).isEqualTo(201);
        BerthClient.Reply second = b.sendKeyed("POST", "/v1/api-keys", Map.of("name", "k2"), TIMEOUT,
                UUID.randomUUID().toString());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.text("quota")).isEqualTo("api-keys");
        String tenant = tenantOf(key);
        assertThat(count("select count(*) from api_keys where tenant_id = '" + tenant + "'")).isEqualTo(2);
        assertThat(count("select count(*) from idempotency_keys where tenant_id = '" + tenant + "'")).isZero();

        // When the first key is revoked, Then a key can be created again
        assertThat(a.send("DELETE", "/v1/api-keys/" + first.text("id"), null, TIMEOUT).status()).isEqualTo(204);
        assertThat(b.send("POST", "/v1/api-keys", Map.of("name", "k3"), TIMEOUT).status()).isEqualTo(201);

        // When the override is put back to null, Then the configured default (50) is in force again
        Map<String, Object> backToDefault = new HashMap<>();
        backToDefault.put("apiKeys", null);
        BerthClient.Reply reset = a.send("PUT", "/v1/quotas", backToDefault, TIMEOUT);
        assertThat(reset.body().path("apiKeys").path("override").isNull()).isTrue();
        assertThat(reset.body().path("apiKeys").path("limit").asLong()).isEqualTo(KEYS);
        assertThat(b.send("POST", "/v1/api-keys", Map.of("name", "k4"), TIMEOUT).status()).isEqualTo(201);
    }

    @Test
    void invalidOverridesAreRefusedAndChangeNothing() throws Exception {
        // Given a tenant on the defaults
        String key = newTenant("invalid");
        BerthClient admin = cluster.client(0).withKey(key);

        // When an admin sends a negative quota, a string for a number, a rate of 0 or an unknown quota
        List<Object> bodies = List.of(Map.of("apiKeys", -1), Map.of("apiKeys", "3"), Map.of("requestsPerSecond", 0),
                Map.of("burst", 0.5), Map.of("sessions", 3), Map.of("liveSessions", 3_000_000_000L));

        // Then each is a 400 problem, and the tenant has no override
        for (Object body : bodies) {
            BerthClient.Reply reply = admin.send("PUT", "/v1/quotas", body, TIMEOUT);
            assertThat(reply.status()).as("PUT %s", body).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }
        assertThat(count("select count(*) from tenant_quotas where tenant_id = '" + tenantOf(key) + "'")).isZero();
    }

    private static List<BerthClient.Reply> burst(ExecutorService senders, BerthClient client) throws Exception {
        List<Future<BerthClient.Reply>> replies = new ArrayList<>();
        Callable<BerthClient.Reply> open = () -> client.sendKeyed("POST", "/v1/sessions",
                Map.of("agent", "a", "actorId", "u"), TIMEOUT, UUID.randomUUID().toString());
        for (int i = 0; i < PER_PROCESS; i++) {
            replies.add(senders.submit(open));
        }
        List<BerthClient.Reply> answers = new ArrayList<>();
        for (Future<BerthClient.Reply> reply : replies) {
            answers.add(reply.get());
        }
        return answers;
    }

    private static BerthClient.Reply openSession(BerthClient client) throws Exception {
        return client.send("POST", "/v1/sessions", Map.of("agent", "a", "actorId", "u"), TIMEOUT);
    }

    private static String newTenant(String name) throws Exception {
        BerthClient.Reply tenant = cluster.client(0).send("POST", "/v1/tenants", Map.of("name", name), TIMEOUT);
        assertThat(tenant.status()).isEqualTo(201);
        return tenant.body().path("adminKey").path("key").asText();
    }

    /** The tenant of an admin key, from the key listing (each item names its tenant). */
    private static String tenantOf(String key) throws Exception {
        BerthClient.Reply keys = cluster.client(0).withKey(key).send("GET", "/v1/api-keys", null, TIMEOUT);
        return keys.body().path("items").get(0).path("tenantId").asText();
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = cluster.sql(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
