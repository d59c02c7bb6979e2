package dev.berth.deploy.quota;

import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.error.Problems;
import dev.berth.runtime.port.RateLimits;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Takes a token from the caller's tenant bucket on every authenticated request (ADR 0029). It runs
 * after {@link dev.berth.deploy.auth.ApiKeyFilter}, so an unknown key never spends a tenant's
 * tokens, and before any resource, so a refused request changes nothing.
 */
public class RateLimitFilter {
    /** Right after authentication: the tenant is known, nothing else has run. */
    static final int PRIORITY = Priorities.AUTHENTICATION + 50;

    private final RateLimits limits;
    private final RequestPrincipal principal;
    private final QuotaConfig config;

    @Inject
    public RateLimitFilter(RateLimits limits, RequestPrincipal principal, QuotaConfig config) {
        this.limits = limits;
        this.principal = principal;
        this.config = config;
    }

    @ServerRequestFilter(priority = PRIORITY)
    public Uni<Response> limit() {
        if (!config.rateLimitEnabled() || !principal.present()) {
            return Uni.createFrom().nullItem(); // off, or a public route: no tenant to count against
        }
        return limits.take(principal.tenant(), config.requestsPerSecond(), config.burst())
                .map(wait -> wait.isZero() ? null : refused(wait));
    }

    private static Response refused(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Problems.response(429, "rate-limited", "Too Many Requests",
                        "this tenant sends more requests than its rate limit allows; retry after " + seconds + " s", null)
                .header("Retry-After", Long.toString(seconds))
                .build();
    }
}
