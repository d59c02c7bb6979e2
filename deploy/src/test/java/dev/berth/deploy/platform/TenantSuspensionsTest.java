package dev.berth.deploy.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.PlatformChange;
import dev.berth.runtime.domain.PlatformTenant;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.PlatformTenants;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-process list of suspended tenants: one read per refresh interval, and the bound it gives. */
class TenantSuspensionsTest {
    private final TenantId tenant = new TenantId(UUID.randomUUID());
    private final AtomicLong nanos = new AtomicLong();
    private final Store store = new Store();
    private final TenantSuspensions suspensions = new TenantSuspensions(store, Duration.ofSeconds(2), nanos::get);

    @Test
    void aSuspensionMadeElsewhereIsSeenWithinTheRefreshWithOneReadPerInterval() {
        // Given a process that has read the list once, the tenant active
        assertThat(suspended()).isFalse();

        // When another process suspends the tenant, Then 1000 requests in the next 1.9 s still pass, on that one read
        store.suspended = Set.of(tenant);
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(1_900_000);
            assertThat(suspended()).isFalse();
        }
        assertThat(store.reads.get()).isEqualTo(1);

        // and the first request 2 s after the read is refused, after one more read
        nanos.addAndGet(100_000_000);
        assertThat(suspended()).isTrue();
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void theProcessThatSuspendedSeesItAtOnceAndAFailedReadIsNotKept() {
        assertThat(suspended()).isFalse();
        store.suspended = Set.of(tenant);
        suspensions.forget();
        assertThat(suspended()).isTrue();

        // a read that fails fails its request, and the next request reads again
        suspensions.forget();
        store.fail = true;
        assertThat(suspensions.suspended(tenant).onFailure().recoverWithItem(true).await().indefinitely()).isTrue();
        store.fail = false;
        store.suspended = Set.of();
        assertThat(suspended()).isFalse();
    }

    private boolean suspended() {
        return suspensions.suspended(tenant).await().indefinitely();
    }

    /** Only the list of suspended tenants is read here. */
    private static final class Store implements PlatformTenants {
        final AtomicInteger reads = new AtomicInteger();
        volatile Set<TenantId> suspended = Set.of();
        volatile boolean fail;

        @Override
        public Uni<Set<TenantId>> suspended() {
            return Uni.createFrom().item(() -> {
                reads.incrementAndGet();
                if (fail) {
                    throw new IllegalStateException("database out of reach");
                }
                return suspended;
            });
        }

        @Override
        public Uni<Page<PlatformTenant>> list(String cursor, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<PlatformChange> suspend(TenantId tenant, AuditEntry audit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<PlatformChange> resume(TenantId tenant, AuditEntry audit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<PlatformChange> delete(TenantId tenant, AuditEntry audit) {
            throw new UnsupportedOperationException();
        }
    }
}
