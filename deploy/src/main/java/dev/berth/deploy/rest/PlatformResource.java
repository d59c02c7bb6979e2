package dev.berth.deploy.rest;

import dev.berth.deploy.api.PageView;
import dev.berth.deploy.api.PlatformTenantView;
import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.auth.KeyCache;
import dev.berth.deploy.platform.PlatformOnly;
import dev.berth.deploy.platform.PlatformPrincipal;
import dev.berth.deploy.platform.TenantSuspensions;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.PlatformChange;
import dev.berth.runtime.domain.PlatformTenant;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.PlatformTenants;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.BiFunction;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The platform operator's API (ADR 0034): tenants across the platform, listed, suspended, resumed,
 * deleted. Platform keys only ({@link PlatformOnly}); each change and its audit row are one
 * transaction. The operator tenant, the platform's own, cannot be suspended or deleted.
 */
@Path("/v1/platform/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformResource {
    private final PlatformTenants tenants;
    private final PlatformPrincipal platform;
    private final TenantSuspensions suspensions;
    private final KeyCache keys;
    private final AuditRecorder audit;

    @Inject
    public PlatformResource(PlatformTenants tenants, PlatformPrincipal platform, TenantSuspensions suspensions,
            KeyCache keys, AuditRecorder audit) {
        this.tenants = tenants;
        this.platform = platform;
        this.suspensions = suspensions;
        this.keys = keys;
        this.audit = audit;
    }

    /** Every tenant, oldest first, {@code limit} (1-100, default 20) at a time. */
    @GET
    @PlatformOnly
    public Uni<PageView<PlatformTenantView>> list(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        int most = QueryNumbers.integer("limit", limit, 20);
        InputLimits.count("limit", most, 1, InputLimits.MAX_PAGE);
        return tenants.list(cursor, most).map(page -> new PageView<>(
                page.items().stream().map(PlatformResource::view).toList(), page.nextCursor()));
    }

    /** Suspends a tenant: every request of its keys gets 403 tenant-suspended; its runs pause. */
    @POST
    @Path("{id}/suspend")
    @PlatformOnly
    public Uni<Response> suspend(@PathParam("id") String id) {
        return change(id, AuditAction.TENANT_SUSPEND, tenants::suspend);
    }

    /** Resumes a suspended tenant: its keys work again and its paused runs continue. */
    @POST
    @Path("{id}/resume")
    @PlatformOnly
    public Uni<Response> resume(@PathParam("id") String id) {
        return change(id, AuditAction.TENANT_RESUME, tenants::resume);
    }

    /** Deletes a tenant and everything it owns, at once; its audit rows stay until retention. */
    @DELETE
    @Path("{id}")
    @PlatformOnly
    public Uni<Response> delete(@PathParam("id") String id) {
        return change(id, AuditAction.TENANT_DELETE, tenants::delete);
    }

    /** One change of one tenant, with its audit row written by the store in the change's transaction. */
    private Uni<Response> change(String id, AuditAction action,
            BiFunction<TenantId, AuditEntry, Uni<PlatformChange>> store) {
        TenantId tenant = new TenantId(Ids.parse(id, "tenant"));
        AuditEntry entry = audit.entry(tenant, platform.subject(), action, new AuditTarget("tenant", tenant.toString()),
                null);
        return store.apply(tenant, entry).map(change -> answer(change, id));
    }

    private Response answer(PlatformChange change, String id) {
        return switch (change) {
            case DONE -> {
                // This process sees the change at once; others within berth.platform.suspension-refresh.
                suspensions.forget();
                keys.clear();
                yield Response.noContent().build();
            }
            case UNKNOWN -> throw new NotFoundException("tenant", id);
            case PLATFORM_OWN -> throw new ConflictException("platform-tenant", "tenant '" + id + "' is the operator"
                    + " tenant, the platform's own: it cannot be suspended or deleted");
        };
    }

    private static PlatformTenantView view(PlatformTenant tenant) {
        return new PlatformTenantView(tenant.id().toString(), tenant.name(), tenant.platformOwn(), tenant.createdAt(),
                tenant.suspendedAt());
    }
}
