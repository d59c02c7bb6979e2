package dev.berth.deploy.rest;

import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.KeyRequest;
import dev.berth.deploy.api.KeyView;
import dev.berth.deploy.api.TenantRequest;
import dev.berth.deploy.api.TenantView;
import dev.berth.deploy.auth.ApiKeys;
import dev.berth.deploy.auth.KeyCache;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.error.Problems;
import dev.berth.runtime.domain.KeyedRequest;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.AccessStore;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * API keys of the caller's tenant (admin keys only), and tenants (admin keys of the operator
 * tenant only). A new key is shown once, in the response that creates it.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessResource {

    private final AccessStore access;
    private final KeyCache keys;
    private final RequestPrincipal principal;
    private final IdempotentRequests idempotent;

    @Inject
    public AccessResource(AccessStore access, KeyCache keys, RequestPrincipal principal, IdempotentRequests idempotent) {
        this.idempotent = idempotent;
        this.access = access;
        this.keys = keys;
        this.principal = principal;
    }

    @POST
    @Path("api-keys")
    public Uni<Response> createKey(
            @Parameter(description = IdempotencyKeyHeader.SECRET_DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            KeyRequest request) {
        TenantId tenant = principal.requireAdmin().tenant();
        String name = name(request == null ? null : request.name());
        boolean admin = request.admin() != null && request.admin();
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST", "/v1/api-keys", request),
                key -> newKey(tenant, name, admin, key).map(created -> Response.status(201).entity(created).build()),
                earlier -> secretShownOnce("api key", earlier));
    }

    @GET
    @Path("api-keys")
    public Uni<List<KeyView>> listKeys() {
        TenantId tenant = principal.requireAdmin().tenant();
        return access.listKeys(tenant).map(keys -> keys.stream().map(k -> ApiMapper.key(k, null)).toList());
    }

    @DELETE
    @Path("api-keys/{id}")
    public Uni<Response> revokeKey(@PathParam("id") String id) {
        TenantId tenant = principal.requireAdmin().tenant();
        return access.revokeKey(tenant, Ids.parse(id, "api key")).invoke(keys::clear).map(revoked -> {
            if (!revoked) {
                throw new NotFoundException("api key", id);
            }
            return Response.noContent().build();
        });
    }

    /** Creates a tenant and its first admin key. */
    @POST
    @Path("tenants")
    public Uni<Response> createTenant(
            @Parameter(description = IdempotencyKeyHeader.SECRET_DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            TenantRequest request) {
        if (!principal.requireAdmin().operator()) {
            throw new ForbiddenException("only admin keys of the operator tenant may create tenants");
        }
        String name = name(request == null ? null : request.name());
        TenantId caller = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(caller, idempotencyKey, "POST", "/v1/tenants", request),
                key -> {
                    String secret = ApiKeys.generate();
                    return access.createTenant(name, ApiKeys.hash(secret), ApiKeys.displayPrefix(secret), caller, key)
                            .map(admin -> new TenantView(admin.tenant().toString(), name, ApiMapper.key(admin, secret)))
                            .map(view -> Response.status(201).entity(view).build());
                },
                earlier -> secretShownOnce("tenant", earlier));
    }

    private Uni<KeyView> newKey(TenantId tenant, String name, boolean admin, Optional<RequestKey> requestKey) {
        String key = ApiKeys.generate();
        return access.createKey(tenant, name, admin, ApiKeys.hash(key), ApiKeys.displayPrefix(key), requestKey)
                .map(info -> ApiMapper.key(info, key));
    }

    /**
     * A retry of a request whose answer held a secret: the secret is stored only as a hash, so it
     * cannot be shown again. The answer says what was created, so the client can use or revoke it.
     */
    private static Uni<Response> secretShownOnce(String what, KeyedRequest earlier) {
        return Uni.createFrom().item(Problems.response(409, "secret-shown-once", Problems.title(409), "this request"
                + " already created " + what + " '" + earlier.resource() + "', whose secret was shown once, in the"
                + " first answer; revoke it if that answer was lost", null).build());
    }

    private static String name(String name) {
        InputLimits.label("name", name);
        return name;
    }
}
