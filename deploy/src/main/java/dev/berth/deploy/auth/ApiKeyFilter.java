package dev.berth.deploy.auth;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.auth.oidc.OidcToken;
import dev.berth.deploy.auth.oidc.OidcTokenAuth;
import dev.berth.deploy.error.Problems;
import dev.berth.deploy.platform.PlatformPrincipal;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.port.AccessStore;
import dev.berth.runtime.observe.LogContext;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Maps {@code Authorization: Bearer <credential>} to a principal for every {@code /v1} and {@code /openai/v1} request: an API
 * key, or an OIDC token (a JWT, told apart by its shape and verified by {@link OidcTokenAuth}, ADR 0030).
 * A missing, unknown, expired or revoked key, or a token that fails verification, gets a 401 problem
 * before any resource runs, recorded in the audit trail (sampled, ADR 0034); what the credential may
 * do is checked next, by {@link RoleFilter}. A platform key (ADR 0034) was recognised before this runs.
 */
public class ApiKeyFilter {
    private static final String BEARER = "Bearer ";
    /** The OpenAI-compatible surface (ADR 0035) takes the same credentials as {@code /v1}. */
    private static final String OPENAI_PATH = "/openai/v1/";

    private final AccessStore access;
    private final KeyCache cache;
    private final RequestPrincipal principal;
    private final KeyHasher hasher;
    private final OidcTokenAuth tokens;
    private final AuditRecorder audit;
    private final PlatformPrincipal platform;

    @Inject
    public ApiKeyFilter(AccessStore access, KeyCache cache, RequestPrincipal principal, KeyHasher hasher,
            OidcTokenAuth tokens, AuditRecorder audit, PlatformPrincipal platform) {
        this.hasher = hasher;
        this.tokens = tokens;
        this.audit = audit;
        this.platform = platform;
        this.access = access;
        this.cache = cache;
        this.principal = principal;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext routing) {
        String path = request.getUriInfo().getPath();
        boolean guarded = path.startsWith("/v1/") || path.startsWith(OPENAI_PATH);
        if (!guarded || path.equals("/v1/info") || platform.present()) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refused(request, routing, "an API key or token is required: Authorization: Bearer <key or token>");
        }
        String key = header.substring(BEARER.length()).trim();
        if (OidcToken.jwtShaped(key)) {
            return tokens.authenticate(routing, key).chain(outcome -> answer(request, routing, outcome));
        }
        byte[] hash = hasher.hash(key);
        return cache.get(hash, () -> access.authenticate(hash, ApiKeys.legacyHash(key))).chain(found -> {
            if (found.isEmpty()) {
                return refused(request, routing, "the API key is unknown, expired or revoked");
            }
            return accept(found.get());
        });
    }

    private Uni<Response> answer(ContainerRequestContext request, RoutingContext routing, OidcTokenAuth.Outcome outcome) {
        return switch (outcome) {
            case OidcTokenAuth.Outcome.Accepted accepted -> accept(accepted.principal());
            case OidcTokenAuth.Outcome.Unauthenticated refused -> refused(request, routing, refused.detail());
            case OidcTokenAuth.Outcome.Forbidden refused -> Uni.createFrom().item(
                    Problems.response(Response.Status.FORBIDDEN, "forbidden", "Forbidden", refused.detail()).build());
        };
    }

    private Uni<Response> accept(ApiPrincipal found) {
        principal.set(found);
        // Every log line of the request carries its tenant (Quarkus keeps the MDC per request).
        MDC.put(LogContext.TENANT_ID, found.tenant().toString());
        return Uni.createFrom().nullItem();
    }

    /** A 401, recorded in the audit trail (sampled per client address: ADR 0034). */
    private Uni<Response> refused(ContainerRequestContext request, RoutingContext routing, String detail) {
        var remote = routing.request().remoteAddress();
        String address = remote == null ? null : remote.hostAddress();
        return audit.failedAuthentication(address, request.getMethod(), request.getUriInfo().getPath())
                .replaceWith(() -> unauthorized(detail));
    }

    private static Response unauthorized(String detail) {
        return Problems.response(Response.Status.UNAUTHORIZED, "unauthorized", "Unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
