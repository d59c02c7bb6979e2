package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.fake.FakeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-tenant rate limit (ADR 0029) across two Berth processes on one database: both spend one
 * bucket, so a burst through both is refused by both with 429 and Retry-After, and what they admit
 * together stays within the bucket's bound; another tenant's bucket is its own.
 */
class RateLimitIT {
    private static final int RATE = 1;
    private static final int BURST = 20;
    private static final int PER_PROCESS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() {
        cluster = Cluster.start(2, FakeOptions.defaults(), Duration.ofSeconds(3), Duration.ofSeconds(1),
                Map.of("BERTH_QUOTA_REQUESTS_PER_SECOND", Integer.toString(RATE), "BERTH_QUOTA_BURST",
                        Integer.toString(BURST)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBurstThroughTwoProcessesIsRefusedByBothWithinOneBucketAndAnotherTenantIsUnaffected() throws Exception {
        // Given two tenants that have sent nothing yet
        String bursterKey = newTenant("burster");
        String neighbourKey = newTenant("neighbour");

        // When the first sends 40 requests through each process at once
        List<BerthClient.Reply> onA;
        List<BerthClient.Reply> onB;
        long started = System.nanoTime();
        try (ExecutorService senders = Executors.newFixedThreadPool(2)) {
            Future<List<BerthClient.Reply>> a = senders.submit(() -> burst(cluster.client(0).withKey(bursterKey)));
            Future<List<BerthClient.Reply>> b = senders.submit(() -> burst(cluster.client(1).withKey(bursterKey)));
            onA = a.get();
            onB = b.get();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;

        // Then both processes refused some, with a rate-limited problem and a whole number of seconds to wait
        for (List<BerthClient.Reply> replies : List.of(onA, onB)) {
            List<BerthClient.Reply> refused = replies.stream().filter(r -> r.status() == 429).toList();
            assertThat(refused).isNotEmpty();
            assertThat(refused).allSatisfy(r -> {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("type")).isEqualTo("https://berth.dev/problems/rate-limited");
                assertThat(Integer.parseInt(r.retryAfter())).isBetween(1, 1 + 1 / RATE);
            });
            assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
        }
        // and together they admitted what one bucket holds, and no more than it regained meanwhile
        long admitted = onA.stream().filter(r -> r.status() == 200).count()
                + onB.stream().filter(r -> r.status() == 200).count();
        assertThat(admitted).isBetween((long) BURST, (long) Math.floor(BURST + RATE * elapsed));

        // and the other tenant's requests pass on both processes
        assertThat(cluster.client(0).withKey(neighbourKey).send("GET", "/v1/sessions", null, TIMEOUT).status())
                .isEqualTo(200);
        assertThat(cluster.client(1).withKey(neighbourKey).send("GET", "/v1/sessions", null, TIMEOUT).status())
                .isEqualTo(200);
        System.out.printf("rate limit: %d of %d requests admitted through two processes in %.2f s (bucket %d, %d/s)%n",
                admitted, 2 * PER_PROCESS, elapsed, BURST, RATE);
    }

    @Test
    void aRefusedCreateWritesNothing() throws Exception {
        // Given the tenant's bucket spent
        BerthClient admin = cluster.client(0);
        int created = 0;
        BerthClient.Reply reply;
        // When it keeps creating keys until refused (a bucket of 20 at 1/s runs dry well within 100)
        do {
            reply = admin.send("POST", "/v1/api-keys", Map.of("name", "k"), TIMEOUT);
            if (reply.status() == 201) {
                created++;
            }
        } while (reply.status() == 201 && created < 100);
        assertThat(reply.status()).isEqualTo(429);

        // Then, once a token is back, the keys are exactly the ones whose create was answered 201
        Thread.sleep(Integer.parseInt(reply.retryAfter()) * 1000L);
        BerthClient.Reply keys = admin.send("GET", "/v1/api-keys?limit=100", null, TIMEOUT);
        assertThat(keys.status()).isEqualTo(200);
        long named = 0;
        for (var key : keys.body().path("items")) {
            if ("k".equals(key.path("name").asText())) {
                named++;
            }
        }
        assertThat(named).isEqualTo(created);
    }

    /** A new tenant's admin key; created by the operator tenant, waiting out its own rate limit if need be. */
    private static String newTenant(String name) throws Exception {
        while (true) {
            BerthClient.Reply tenant = cluster.client(0).send("POST", "/v1/tenants", Map.of("name", name), TIMEOUT);
            if (tenant.status() != 429) {
                assertThat(tenant.status()).isEqualTo(201);
                return tenant.body().path("adminKey").path("key").asText();
            }
            Thread.sleep(Integer.parseInt(tenant.retryAfter()) * 1000L);
        }
    }

    private static List<BerthClient.Reply> burst(BerthClient client) throws Exception {
        List<BerthClient.Reply> replies = new ArrayList<>();
        for (int i = 0; i < PER_PROCESS; i++) {
            replies.add(client.send("GET", "/v1/sessions", null, TIMEOUT));
        }
        return replies;
    }
}
