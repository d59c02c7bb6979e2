package dev.berth.deploy.auth;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.error.Problems;
import dev.berth.deploy.platform.PlatformPrincipal;
import io.vertx.core.http.HttpServerRequest;
import dev.berth.runtime.port.AccessStore;
import dev.berth.runtime.observe.LogContext;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Maps {@code Authorization: Bearer <api key>} to a tenant for every {@code /v1} request.
 * A missing, unknown, expired or revoked key gets a 401 problem before any resource runs; what
 * the key may do is checked next, by {@link RoleFilter}.
 */
public class ApiKeyFilter {
    private static final String BEARER = "Bearer ";

    private final AccessStore access;
    private final KeyCache cache;
    private final RequestPrincipal principal;
    private final KeyHasher hasher;
    private final AuditRecorder audit;
    private final PlatformPrincipal platform;

    @Inject
    public ApiKeyFilter(AccessStore access, KeyCache cache, RequestPrincipal principal, KeyHasher hasher,
            AuditRecorder audit, PlatformPrincipal platform) {
        this.platform = platform;
        this.audit = audit;
        this.hasher = hasher;
        this.access = access;
        this.cache = cache;
        this.principal = principal;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") || path.equals("/v1/info") || platform.present()) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refused(request, http, "an API key is required: Authorization: Bearer <key>");
        }
        String key = header.substring(BEARER.length()).trim();
        byte[] hash = hasher.hash(key);
        return cache.get(hash, () -> access.authenticate(hash, ApiKeys.legacyHash(key))).chain(found -> {
            if (found.isEmpty()) {
                return refused(request, http, "the API key is unknown, expired or revoked");
            }
            principal.set(found.get());
            // Every log line of the request carries its tenant (Quarkus keeps the MDC per request).
            MDC.put(LogContext.TENANT_ID, found.get().tenant().toString());
            return Uni.createFrom().nullItem();
        });
    }

    /** A 401, recorded in the audit trail (sampled per client address: ADR 0034). */
    private Uni<Response> refused(ContainerRequestContext request, HttpServerRequest http, String detail) {
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return audit.failedAuthentication(address, request.getMethod(), request.getUriInfo().getPath())
                .replaceWith(() -> unauthorized(detail));
    }

    private static Response unauthorized(String detail) {
        return Problems.response(Response.Status.UNAUTHORIZED, "unauthorized", "Unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
