package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.fake.FakeOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A suspension made through one Berth process is enforced by another within
 * {@code berth.platform.suspension-refresh}, although that process had the tenant's key cached and
 * its list of suspended tenants loaded (ADR 0034); a resumption likewise.
 */
class PlatformIT {
    /** SHA-256 of {@link #PLATFORM_KEY}. */
    private static final String PLATFORM_HASH = "947effc66baf07544575f6f2a744ed9229641f1cec961a34287a532d9299763a";
    private static final String PLATFORM_KEY = "brp_platform_test_key_0123456789";
    private static final Duration REFRESH = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() {
        cluster = Cluster.start(2, FakeOptions.defaults(), Duration.ofSeconds(3), Duration.ofSeconds(1),
                Map.of("BERTH_PLATFORM_KEY_HASHES", PLATFORM_HASH, "BERTH_PLATFORM_SUSPENSION_REFRESH", "2s",
                        "BERTH_API_KEY_CACHE_TTL", "60s"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSuspensionThroughOneProcessIsEnforcedByTheOtherWithinTheRefreshBound() throws Exception {
        // Given a tenant whose key both processes have seen (cached for a minute) and answered
        BerthClient.Reply created = cluster.client(0).send("POST", "/v1/tenants", Map.of("name", "suspended"), TIMEOUT);
        assertThat(created.status()).isEqualTo(201);
        String tenant = created.body().path("adminKey").path("tenantId").asText();
        BerthClient onA = cluster.client(0).withKey(created.body().path("adminKey").path("key").asText());
        BerthClient onB = cluster.client(1).withKey(created.body().path("adminKey").path("key").asText());
        assertThat(status(onA)).isEqualTo(200);
        assertThat(status(onB)).isEqualTo(200);

        // When the platform operator suspends it through the first process
        BerthClient platformOnA = cluster.client(0).withKey(PLATFORM_KEY);
        long suspended = System.nanoTime();
        assertThat(platformOnA.send("POST", "/v1/platform/tenants/" + tenant + "/suspend", null, TIMEOUT).status())
                .isEqualTo(204);

        // Then the first refuses it at once, the second within the refresh bound
        assertThat(status(onA)).isEqualTo(403);
        await().atMost(REFRESH.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> status(onB) == 403);
        double seenByB = (System.nanoTime() - suspended) / 1e9;
        BerthClient.Reply refused = onB.send("GET", "/v1/sessions", null, TIMEOUT);
        assertThat(refused.text("type")).isEqualTo("https://berth.dev/problems/tenant-suspended");

        // When it is resumed through the second process, Then both serve it again within the bound
        long resumed = System.nanoTime();
        assertThat(cluster.client(1).withKey(PLATFORM_KEY)
                .send("POST", "/v1/platform/tenants/" + tenant + "/resume", null, TIMEOUT).status()).isEqualTo(204);
        assertThat(status(onB)).isEqualTo(200);
        await().atMost(REFRESH.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> status(onA) == 200);
        double seenByA = (System.nanoTime() - resumed) / 1e9;
        System.out.printf("platform: suspension enforced by the other process after %.2f s, resumption after %.2f s"
                + " (berth.platform.suspension-refresh %s, key cache 60 s)%n", seenByB, seenByA, REFRESH);
        assertThat(seenByB).isLessThan(REFRESH.toMillis() / 1000.0 + 1);
    }

    private static int status(BerthClient client) throws Exception {
        return client.send("GET", "/v1/sessions", null, TIMEOUT).status();
    }
}
