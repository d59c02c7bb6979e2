package dev.berth.deploy.rest;

import dev.berth.deploy.api.PageView;
import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.Revocation;
import dev.berth.deploy.auth.KeyGrant;
import dev.berth.deploy.auth.KeyHasher;
import dev.berth.runtime.domain.NewApiKey;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ValidationException;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.berth.deploy.auth.Allowed;
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
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * API keys of the caller's tenant, and tenants (admin keys only: see {@link Allowed}; tenants
 * only by the operator tenant's). A new key is shown once, in the response that creates it.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessResource {

    private final AccessStore access;
    private final KeyCache keys;
    private final RequestPrincipal principal;
    private final IdempotentRequests idempotent;
    private final KeyHasher hasher;
    private final AuditRecorder audit;

    @Inject
    public AccessResource(AccessStore access, KeyCache keys, RequestPrincipal principal, IdempotentRequests idempotent,
            KeyHasher hasher, AuditRecorder audit) {
        this.audit = audit;
        this.hasher = hasher;
        this.idempotent = idempotent;
        this.access = access;
        this.keys = keys;
        this.principal = principal;
    }

    /**
     * Creates a key with its {@code roles} (or the deprecated {@code admin} flag; neither: [service]),
     * the {@code actorId} of an actor key, and an optional {@code expiresAt}.
     */
    @POST
    @Path("api-keys")
    @Allowed({})
    public Uni<Response> createKey(
            @Parameter(description = IdempotencyKeyHeader.SECRET_DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            KeyRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        TenantId tenant = principal.tenant();
        String name = name(request.name());
        KeyGrant grant = KeyGrant.of(request, Instant.now());
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST", "/v1/api-keys", request),
                key -> newKey(tenant, name, grant, key)
                        .call(created -> audit.record(AuditAction.KEY_CREATE, new AuditTarget("api-key", created.id()),
                                request))
                        .map(created -> Response.status(201).entity(created).build()),
                earlier -> secretShownOnce("api key", earlier));
    }

    /** The tenant's keys, oldest first, {@code limit} (1-100, default 20) at a time. */
    @GET
    @Path("api-keys")
    @Allowed({})
    public Uni<PageView<KeyView>> listKeys(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        int most = QueryNumbers.integer("limit", limit, 20);
        InputLimits.count("limit", most, 1, InputLimits.MAX_PAGE);
        return access.listKeys(principal.tenant(), cursor, most)
                .map(page -> new PageView<>(page.items().stream().map(k -> ApiMapper.key(k, null)).toList(),
                        page.nextCursor()));
    }

    /** Revokes a key; the tenant's last usable admin key cannot be revoked (409 last-admin). */
    @DELETE
    @Path("api-keys/{id}")
    @Allowed({})
    public Uni<Response> revokeKey(@PathParam("id") String id) {
        TenantId tenant = principal.tenant();
        UUID keyId = Ids.parse(id, "api key");
        return access.revokeKey(tenant, keyId).invoke(keys::clear)
                .call(revocation -> revocation == Revocation.REVOKED
                        ? audit.record(AuditAction.KEY_REVOKE, new AuditTarget("api-key", keyId.toString()), null)
                        : Uni.createFrom().voidItem())
                .map(revocation -> switch (revocation) {
            case REVOKED -> Response.noContent().build();
            case UNKNOWN -> throw new NotFoundException("api key", id);
            case LAST_ADMIN -> throw new ConflictException("last-admin", "api key '" + id + "' is the tenant's last"
                    + " admin key: create another admin key before revoking this one");
        });
    }

    /** Creates a tenant and its first admin key (admin keys of the operator tenant only). */
    @POST
    @Path("tenants")
    @Allowed({})
    public Uni<Response> createTenant(
            @Parameter(description = IdempotencyKeyHeader.SECRET_DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            TenantRequest request) {
        if (!principal.get().operator()) {
            throw new ForbiddenException("only admin keys of the operator tenant may create tenants");
        }
        String name = name(request == null ? null : request.name());
        TenantId caller = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(caller, idempotencyKey, "POST", "/v1/tenants", request),
                key -> {
                    String secret = ApiKeys.generate();
                    return access.createTenant(name, hasher.hash(secret), caller, key)
                            .call(admin -> audit.record(AuditAction.TENANT_CREATE,
                                    new AuditTarget("tenant", admin.tenant().toString()), request))
                            .map(admin -> new TenantView(admin.tenant().toString(), name, ApiMapper.key(admin, secret)))
                            .map(view -> Response.status(201).entity(view).build());
                },
                earlier -> secretShownOnce("tenant", earlier));
    }

    private Uni<KeyView> newKey(TenantId tenant, String name, KeyGrant grant, Optional<RequestKey> requestKey) {
        String key = ApiKeys.generate();
        return access.createKey(new NewApiKey(UUID.randomUUID(), tenant, name, grant.roles(), grant.actorId(),
                        grant.expiresAt(), hasher.hash(key)), requestKey)
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
