package dev.berth.deploy.rest;

import dev.berth.deploy.api.BudgetView;
import dev.berth.deploy.api.BudgetsView;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.config.BudgetConfig;
import dev.berth.deploy.observe.RequestIds;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditOutcome;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.AuditTrail;
import dev.berth.runtime.port.BudgetStore;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The tenant's budgets on tokens and model calls (ADR 0032): read by admins and operators, set by
 * admins. The engine checks every model call against them; a run over one fails with
 * {@code budget_exceeded}.
 */
@Path("/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BudgetResource {
    private final BudgetStore budgets;
    private final BudgetLimits defaults;
    private final RequestPrincipal principal;
    private final AuditTrail audit;

    @Inject
    public BudgetResource(BudgetStore budgets, BudgetConfig config, RequestPrincipal principal, AuditTrail audit) {
        this.budgets = budgets;
        this.audit = audit;
        this.defaults = config.limits();
        this.principal = principal;
    }

    /** The budgets the tenant set, the configured defaults, and the effective ones. */
    @GET
    @Allowed({Role.OPERATOR})
    public Uni<BudgetsView> get() {
        return budgets.limits(principal.tenant()).map(this::view);
    }

    /**
     * Replaces the tenant's budgets with the body (a window or measure left out takes the
     * configured default); answers as GET does. Every process sees the new budgets at its runs'
     * next step commit or claim. The change is recorded in the audit trail ({@code budget.change}),
     * with a digest of the budgets as set.
     */
    @PUT
    @Allowed({})
    public Uni<BudgetsView> put(BudgetView body) {
        if (body == null) {
            throw ValidationException.field("body", "is required");
        }
        BudgetLimits limits = body.limits();
        TenantId tenant = principal.tenant();
        BudgetsView answer = view(limits);
        AuditEntry entry = new AuditEntry(tenant, principal.get().subject(), AuditAction.BUDGET_CHANGE,
                new AuditTarget("tenant", tenant.value().toString()), RequestIds.current(), AuditOutcome.SUCCEEDED,
                AuditEntry.digestOf(DocumentJson.write(answer.set())));
        return budgets.replaceLimits(tenant, limits).chain(() -> audit.record(entry)).replaceWith(answer);
    }

    private BudgetsView view(BudgetLimits set) {
        return new BudgetsView(BudgetView.of(set), BudgetView.of(defaults), BudgetView.of(set.over(defaults)));
    }
}
