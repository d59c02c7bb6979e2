package dev.berth.runtime.port;

import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.PlatformChange;
import dev.berth.runtime.domain.PlatformTenant;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Tenants across the platform, for its operator (ADR 0034): list, suspend, resume, delete. Each
 * change is one transaction that also appends its {@code audit} row, so there is no change without
 * its row and no row without its change. The operator tenant (the platform's own) is never
 * suspended or deleted. Threading and errors as {@link AgentStore}.
 */
public interface PlatformTenants {

    /** Every tenant, oldest first, a page at a time. */
    Uni<Page<PlatformTenant>> list(String cursor, int limit);

    /**
     * Suspends a tenant: its requests are refused (the caller's suspension check) and its runs are
     * no longer claimed; its running runs lose their lease at once (the lease epoch moves on, so a
     * step in flight cannot commit), and are taken over after {@link #resume}. Suspending a
     * suspended tenant changes nothing and answers {@link PlatformChange#DONE}.
     */
    Uni<PlatformChange> suspend(TenantId tenant, AuditEntry audit);

    /** Resumes a suspended tenant; its runs are claimed again. */
    Uni<PlatformChange> resume(TenantId tenant, AuditEntry audit);

    /** Deletes a tenant and everything it owns (its keys, agents, sessions, events, runs, memories). */
    Uni<PlatformChange> delete(TenantId tenant, AuditEntry audit);

    /** The tenants suspended now. */
    Uni<Set<TenantId>> suspended();
}
