package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth_take_token (R__70_quotas.sql) through {@link PgRateLimits}, against PostgreSQL. */
class RateLimitStoreTest {
    /** So slow that no token comes back within a test: what is admitted is what the bucket held. */
    private static final double TRICKLE = 0.001;

    private StoreFixture store;
    private PgRateLimits limits;

    @BeforeEach
    void migrated() {
        store = new StoreFixture(8);
        limits = new PgRateLimits(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aFullBucketAdmitsItsBurstThenRefusesWithTheTimeToTheNextTokenAndChangesNothing() {
        // Given a tenant's first requests, with a bucket of 3 refilling at 2 a second
        for (int i = 0; i < 3; i++) {
            assertThat(take(store.tenant, 2, 3)).isEqualTo(Duration.ZERO);
        }
        String before = store.query("select tokens || '@' || refilled_at from rate_buckets");

        // When a fourth comes at once
        Duration wait = take(store.tenant, 2, 3);

        // Then it is refused, told to wait at most the half second a token takes, and the bucket is as it was
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(store.query("select tokens || '@' || refilled_at from rate_buckets")).isEqualTo(before);
    }

    @Test
    void tokensComeBackAtTheRateUpToTheBurst() {
        // Given an emptied bucket of 5 at 2 a second
        for (int i = 0; i < 5; i++) {
            take(store.tenant, 2, 5);
        }
        // When 1.2 s pass (set back in the row rather than slept), Then 2 tokens are there, not 3
        store.update("update rate_buckets set refilled_at = refilled_at - interval '1.2 seconds'");
        assertThat(take(store.tenant, 2, 5)).isZero();
        assertThat(take(store.tenant, 2, 5)).isZero();
        assertThat(take(store.tenant, 2, 5)).isPositive();
        // and after an hour the bucket holds its burst and no more
        store.update("update rate_buckets set refilled_at = refilled_at - interval '1 hour'");
        assertThat(admitted(store.tenant, 2, 5, 8)).isEqualTo(5);
    }

    @Test
    void theTenantsOverrideWinsAndOtherTenantsHaveBucketsOfTheirOwn() {
        // Given a tenant whose admin set a burst of 2, and another tenant on the defaults
        store.update("insert into tenant_quotas (tenant_id, burst) values ('" + store.tenant + "', 2)");
        TenantId other = new TenantId(UUID.randomUUID());
        store.update("insert into tenants (id, name) values ('" + other + "', 'other')");

        // When both send 6 requests on a default burst of 4, Then the first gets 2, the other 4
        assertThat(admitted(store.tenant, TRICKLE, 4, 6)).isEqualTo(2);
        assertThat(admitted(other, TRICKLE, 4, 6)).isEqualTo(4);
    }

    @Test
    void concurrentTakesOnManyConnectionsAdmitExactlyTheBurst() {
        // Given 200 takes at once on 8 connections against a bucket of 50 that barely refills
        List<Uni<Duration>> takes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            takes.add(limits.take(store.tenant, TRICKLE, 50));
        }
        // When they all answer
        List<Duration> waits = Uni.join().all(takes).andFailFast().await().atMost(StoreFixture.WAIT);

        // Then exactly 50 were admitted: the row lock lets no two spend the same token
        assertThat(waits.stream().filter(Duration::isZero).count()).isEqualTo(50);
    }

    private Duration take(TenantId tenant, double perSecond, double burst) {
        return limits.take(tenant, perSecond, burst).await().atMost(StoreFixture.WAIT);
    }

    private int admitted(TenantId tenant, double perSecond, double burst, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (take(tenant, perSecond, burst).isZero()) {
                admitted++;
            }
        }
        return admitted;
    }
}
