package dev.berth.deploy.platform;

import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.error.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A suspended tenant's every request gets a 403 {@code tenant-suspended} problem, right after
 * authentication and before the rate limit, the role check and any resource: it changes nothing.
 */
public class TenantSuspensionFilter {
    private final RequestPrincipal principal;
    private final TenantSuspensions suspensions;

    @Inject
    public TenantSuspensionFilter(RequestPrincipal principal, TenantSuspensions suspensions) {
        this.principal = principal;
        this.suspensions = suspensions;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 10)
    public Uni<Response> check() {
        if (!principal.present()) {
            return Uni.createFrom().nullItem(); // a public route, or the platform's own
        }
        return suspensions.suspended(principal.tenant()).map(suspended -> suspended
                ? Problems.response(Response.Status.FORBIDDEN, "tenant-suspended", "Tenant suspended",
                        "this tenant is suspended by the platform operator; its runs are paused until it is resumed")
                        .build()
                : null);
    }
}
