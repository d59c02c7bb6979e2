package dev.berth.deploy.rest;

import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.KeyRequest;
import dev.berth.deploy.api.KeyView;
import dev.berth.deploy.api.TenantRequest;
import dev.berth.deploy.api.TenantView;
import dev.berth.deploy.auth.ApiKeys;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.AccessStore;
import io.smallrye.mutiny.Uni;
import dev.berth.deploy.auth.KeyCache;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

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

    @Inject
    public AccessResource(AccessStore access, KeyCache keys, RequestPrincipal principal) {
        this.access = access;
        this.keys = keys;
        this.principal = principal;
    }

    @POST
    @Path("api-keys")
    public Uni<Response> createKey(KeyRequest request) {
        TenantId tenant = principal.requireAdmin().tenant();
        String name = name(request == null ? null : request.name());
        boolean admin = request.admin() != null && request.admin();
        return newKey(tenant, name, admin).map(key -> Response.status(201).entity(key).build());
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
    public Uni<Response> createTenant(TenantRequest request) {
        if (!principal.requireAdmin().operator()) {
            throw new ForbiddenException("only admin keys of the operator tenant may create tenants");
        }
        String name = name(request == null ? null : request.name());
        return access.createTenant(name)
                .chain(tenant -> newKey(tenant, "admin", true)
                        .map(key -> new TenantView(tenant.toString(), name, key)))
                .map(view -> Response.status(201).entity(view).build());
    }

    private Uni<KeyView> newKey(TenantId tenant, String name, boolean admin) {
        String key = ApiKeys.generate();
        return access.createKey(tenant, name, admin, ApiKeys.hash(key), ApiKeys.displayPrefix(key))
                .map(info -> ApiMapper.key(info, key));
    }

    private static String name(String name) {
        InputLimits.label("name", name);
        return name;
    }
}
