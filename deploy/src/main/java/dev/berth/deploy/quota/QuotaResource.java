package dev.berth.deploy.quota;

import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.QuotaOverrides;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.port.TenantQuotas;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The caller's tenant's quotas and rate limit (ADR 0031): admins and operators read them with the
 * tenant's use; admins set the tenant's overrides of the configured defaults.
 */
@Path("/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotaResource {
    private final TenantQuotas quotas;
    private final QuotaDefaults defaults;
    private final QuotaConfig config;
    private final RequestPrincipal principal;
    private final AuditRecorder audit;

    @Inject
    public QuotaResource(TenantQuotas quotas, QuotaDefaults defaults, QuotaConfig config, RequestPrincipal principal,
            AuditRecorder audit) {
        this.audit = audit;
        this.quotas = quotas;
        this.defaults = defaults;
        this.config = config;
        this.principal = principal;
    }

    /** The limits in force, the tenant's use of each, and which are overridden. */
    @GET
    @Allowed({Role.OPERATOR})
    public Uni<QuotasView> read() {
        return state(principal.tenant());
    }

    /**
     * Replaces the tenant's overrides: every field absent or null goes back to the configured
     * default. A lower limit than the use refuses further creations until the use is below it;
     * nothing is deleted. Answers as {@code GET}.
     */
    @PUT
    @Allowed({})
    public Uni<QuotasView> replace(QuotaRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        QuotaOverrides overrides = request.overrides();
        TenantId tenant = principal.tenant();
        return quotas.replace(tenant, overrides)
                .call(() -> audit.record(AuditAction.QUOTA_CHANGE, new AuditTarget("tenant", tenant.toString()), request))
                .chain(() -> state(tenant));
    }

    private Uni<QuotasView> state(TenantId tenant) {
        return quotas.read(tenant, defaults, config.requestsPerSecond(), config.burst()).map(QuotasView::of);
    }
}
