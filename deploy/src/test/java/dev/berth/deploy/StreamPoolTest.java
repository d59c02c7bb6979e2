package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.deploy.lifecycle.PoolLiveness;
import dev.berth.deploy.observe.PoolGauges;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.service.SessionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool and stream suite (issue 14): stream requests that must be refused, and clients that
 * hang up on their streams at random moments, must leave the database pool as they found it,
 * and another tenant's requests as fast as before.
 *
 * <p>CI runs {@value #DEFAULT_SIZE} of each; the full size (1,000 of each) is
 * <pre>
 * mvn -B -pl deploy -am verify -Dtest=StreamPoolTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs \
 *     -Dberth.test.stream-pool.size=1000
 * </pre>
 * Each part prints its counts and the other tenant's latency before and after.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class StreamPoolTest {
    static final int DEFAULT_SIZE = 200;
    private static final int SIZE = Integer.getInteger("berth.test.stream-pool.size", DEFAULT_SIZE);

    @TestHTTPResource
    URL base;
    @Inject
    PoolGauges pool;
    @Inject
    MeterRegistry registry;
    @Inject
    SessionService sessions;
    @Inject
    @Liveness
    PoolLiveness liveness;

    private String ownSession;
    private String otherKey;
    private String otherSession;

    @BeforeEach
    void twoTenants() {
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "pool-agent");
        ownSession = Api.openSession(BerthTestResource.ADMIN_KEY, "pool-agent", "alice");
        otherKey = admin().body(Map.of("name", "pool-other-" + UUID.randomUUID())).post("/v1/tenants").then()
                .statusCode(201).extract().path("adminKey.key");
        Api.defineAgent(otherKey, "pool-agent");
        otherSession = Api.openSession(otherKey, "pool-agent", "bob");
    }

    @Test
    void unknownAndForeignStreamsAre404sThatHoldNoConnection() throws Exception {
        // Given the pool at rest and the other tenant's usual latency
        long idle = idleInUse();
        Duration before = otherTenantLatency();

        // When the admin's tenant asks for the streams of unknown sessions and of the other tenant's session
        StreamTraffic traffic = new StreamTraffic(base, BerthTestResource.ADMIN_KEY);
        List<StreamTraffic.Answer> answers = traffic.refused(SIZE, i -> i % 2 == 0 ? UUID.randomUUID().toString()
                : otherSession);

        // Then every one is a 404 problem, none a started stream
        System.out.printf("stream-pool: %d unknown/foreign stream requests: %s%n", answers.size(),
                StreamTraffic.byOutcome(answers));
        assertThat(answers).hasSize(SIZE).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        });
        // and none holds a connection, and the other tenant is served as before (a wedged pool: 30 s, then 503)
        Duration after = awaitPoolBackTo(idle);
        System.out.printf("stream-pool: other tenant's latency %d ms before, %d ms after%n", before.toMillis(),
                after.toMillis());
        assertThat(after).isLessThan(before.multipliedBy(5).plusMillis(500));
    }

    @Test
    void clientsHangingUpOnTheirStreamsLeaveNothingBehind() throws Exception {
        // Given the pool at rest and the other tenant's usual latency
        long idle = idleInUse();
        Duration before = otherTenantLatency();

        // When clients open their own session's stream and hang up after 0-50 ms (half with a reset)
        StreamTraffic traffic = new StreamTraffic(base, BerthTestResource.ADMIN_KEY);
        int closed = traffic.hangUps(SIZE, ownSession, 50);

        // Then no stream is left open, the pool is back at rest, and the other tenant is served as before
        await().atMost(Duration.ofSeconds(30)).until(() -> openStreams() == 0);
        Duration after = awaitPoolBackTo(idle);
        System.out.printf("stream-pool: %d abrupt disconnects of valid streams; other tenant's latency %d ms before, %d ms after%n",
                closed, before.toMillis(), after.toMillis());
        assertThat(closed).isEqualTo(SIZE);
        assertThat(after).isLessThan(before.multipliedBy(5).plusMillis(500));
        // and liveness, which watches for a wedged pool, is up
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void storeCallsCancelledMidFlightGiveTheirConnectionsBack() {
        // Given the pool at rest
        long idle = idleInUse();
        TenantId tenant = new TenantId(UUID.randomUUID());

        // When lookups are cancelled at random moments, and pairs are merged so that one's failure cancels the other
        try (ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor()) {
            for (int i = 0; i < SIZE; i++) {
                Cancellable lookup = sessions.get(tenant, UUID.randomUUID()).subscribe().with(found -> {
                }, failure -> {
                });
                timer.schedule(lookup::cancel, ThreadLocalRandom.current().nextLong(3_000), TimeUnit.MICROSECONDS);
                Multi.createBy().merging().streams(Multi.createFrom().uni(sessions.get(tenant, UUID.randomUUID())),
                                Multi.createFrom().uni(sessions.get(tenant, UUID.randomUUID())))
                        .collect().asList().subscribe().with(found -> {
                        }, failure -> {
                        });
            }
        }

        // Then every connection comes back
        awaitPoolBackTo(idle);
    }

    /** Connections in use when nothing is asked of the pool: the engine's pollers may hold one for a moment. */
    private long idleInUse() {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.sample().inUse() <= 1);
        return pool.sample().inUse();
    }

    private Duration awaitPoolBackTo(long idle) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.sample().inUse() <= idle);
        } finally {
            System.out.printf("stream-pool: pool %s%n", pool.sample());
        }
        return otherTenantLatency();
    }

    /** The median of twenty reads of the other tenant's own session. */
    private Duration otherTenantLatency() {
        long[] millis = IntStream.range(0, 20).mapToLong(i -> {
            long start = System.nanoTime();
            as(otherKey).get("/v1/sessions/" + otherSession).then().statusCode(200);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }).sorted().toArray();
        return Duration.ofMillis(millis[millis.length / 2]);
    }

    private double openStreams() {
        return registry.get("berth.sse.streams.active").gauge().value();
    }
}
