package dev.berth.deploy.platform;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.PlatformTenants;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The tenants suspended now, as this process knows them: one statement per process every {@code
 * berth.platform.suspension-refresh} at most (while requests come), never one per request. A
 * suspension made through this process is seen at once ({@link #forget()}); one made through
 * another within the refresh interval. Requests that find the list stale share one reload.
 */
@ApplicationScoped
public class TenantSuspensions {
    private final PlatformTenants tenants;
    private final long refreshNanos;
    private final LongSupplier nanoClock;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();

    @Inject
    public TenantSuspensions(PlatformTenants tenants, PlatformConfig config) {
        this(tenants, config.suspensionRefresh(), System::nanoTime);
    }

    TenantSuspensions(PlatformTenants tenants, Duration refresh, LongSupplier nanoClock) {
        this.tenants = tenants;
        this.refreshNanos = refresh.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether the tenant is suspended, as of at most the refresh interval ago. */
    public Uni<Boolean> suspended(TenantId tenant) {
        long now = nanoClock.getAsLong();
        Loaded current = loaded.get();
        if (current == null || now - current.at() >= refreshNanos) {
            Loaded fresh = new Loaded(tenants.suspended().memoize().indefinitely(), now);
            current = loaded.compareAndSet(current, fresh) ? fresh : loaded.get();
            Loaded reload = current;
            // A failed reload is not kept: the next request tries again.
            return reload.list().onFailure().invoke(() -> loaded.compareAndSet(reload, null))
                    .map(set -> set.contains(tenant));
        }
        return current.list().map(set -> set.contains(tenant));
    }

    /** Drops what this process knows, after it suspended or resumed a tenant. */
    public void forget() {
        loaded.set(null);
    }

    private record Loaded(Uni<Set<TenantId>> list, long at) {
    }
}
