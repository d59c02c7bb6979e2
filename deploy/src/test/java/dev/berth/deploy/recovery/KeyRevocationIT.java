package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.fake.FakeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key revocation across two Berth processes on one database: each process caches keys it found
 * live for {@code berth.api.key-cache-ttl}; a key revoked through one process is refused there at
 * once and on the other within that bound (README, configuration table). The bound is set to
 * 3 s here, so a cache that outlived it (or was never dropped) fails the test.
 */
class KeyRevocationIT {
    private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(3);
    /** Time for the requests themselves on a small shared machine, beyond the documented bound. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() {
        cluster = Cluster.start(2, FakeOptions.defaults(), Duration.ofSeconds(3), Duration.ofSeconds(1),
                Map.of("BERTH_API_KEY_CACHE_TTL", KEY_CACHE_TTL.toMillis() + "ms"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aKeyRevokedOnOneProcessIsRefusedOnTheOtherWithinTheCacheBound() throws Exception {
        // Given a key that both processes have just accepted (so both hold it in their caches)
        BerthClient.Reply created = cluster.client(0).send("POST", "/v1/api-keys", Map.of("name", "roaming"),
                Duration.ofSeconds(10));
        assertThat(created.status()).isEqualTo(201);
        String key = created.text("key");
        BerthClient onA = cluster.client(0).withKey(key);
        BerthClient onB = cluster.client(1).withKey(key);
        assertThat(onA.send("GET", "/v1/sessions", null, Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(onB.send("GET", "/v1/sessions", null, Duration.ofSeconds(10)).status()).isEqualTo(200);

        // When it is revoked through process A
        Instant revoked = Instant.now();
        assertThat(cluster.client(0).send("DELETE", "/v1/api-keys/" + created.text("id"), null,
                Duration.ofSeconds(10)).status()).isEqualTo(204);

        // Then A refuses it at once, and B within the cache bound, for good
        BerthClient.Reply onARefused = onA.send("GET", "/v1/sessions", null, Duration.ofSeconds(10));
        assertThat(onARefused.status()).isEqualTo(401);
        assertThat(onARefused.contentType()).startsWith("application/problem+json");
        await().atMost(KEY_CACHE_TTL.plus(SLACK)).pollInterval(Duration.ofMillis(100))
                .until(() -> onB.send("GET", "/v1/sessions", null, Duration.ofSeconds(5)).status() == 401);
        Duration took = Duration.between(revoked, Instant.now());
        assertThat(took).isLessThanOrEqualTo(KEY_CACHE_TTL.plus(SLACK));
        assertThat(onB.send("POST", "/v1/api-keys", Map.of("name", "escalate"), Duration.ofSeconds(5)).status())
                .isEqualTo(401);
        assertThat(onA.send("GET", "/v1/sessions", null, Duration.ofSeconds(5)).status()).isEqualTo(401);
        System.out.printf("key revocation: refused on the other process %d ms after the revocation (bound %d ms)%n",
                took.toMillis(), KEY_CACHE_TTL.toMillis());
    }
}
