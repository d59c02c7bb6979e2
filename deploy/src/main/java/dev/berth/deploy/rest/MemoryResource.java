package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.ActorOwned;
import dev.berth.runtime.domain.Role;
import dev.berth.deploy.api.MemoryHitView;
import dev.berth.deploy.api.MemoryRequest;
import dev.berth.deploy.api.MemorySearchRequest;
import dev.berth.deploy.api.MemoryView;
import dev.berth.deploy.api.PageView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.memory.MemoryService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Long-term memory records of the caller's tenant: list, search, create, update, delete. */
@Path("/v1/memories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemoryResource {
    private final MemoryService memory;
    private final RequestPrincipal principal;
    private final IdempotentRequests idempotent;
    private final AuditRecorder audit;

    @Inject
    public MemoryResource(MemoryService memory, RequestPrincipal principal, IdempotentRequests idempotent,
            AuditRecorder audit) {
        this.audit = audit;
        this.idempotent = idempotent;
        this.memory = memory;
        this.principal = principal;
    }

    @GET
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<PageView<MemoryView>> list(@QueryParam("namespace") String namespace,
            @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        return memory.list(principal.tenant(), confined(namespace), cursor, QueryNumbers.integer("limit", limit, 20))
                .map(page -> new PageView<>(page.items().stream().map(MemoryResource::view).toList(),
                        page.nextCursor()));
    }

    @POST
    @Allowed({Role.SERVICE})
    public Uni<Response> create(
            @Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            MemoryRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        TenantId tenant = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST", "/v1/memories", request),
                key -> memory.remember(tenant, new MemoryService.Input(request.namespace(),
                        request.kind() == null ? "fact" : request.kind(), request.key(), request.content(), null, null,
                        null, null, expiry(request.ttlSeconds())), key).map(MemoryResource::created),
                earlier -> memory.get(tenant, UUID.fromString(earlier.resource())).map(MemoryResource::created));
    }

    private static Response created(MemoryRecord saved) {
        return Locations.created("/v1/memories/" + saved.id()).entity(view(saved)).build();
    }

    /**
     * Top-k by embedding similarity combined with recency. The answer's {@code Server-Timing}
     * header tells the time of the query's embedding and of the retrieval itself.
     */
    @POST
    @Path("search")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<Response> search(MemorySearchRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        List<String> namespaces = request.namespaces() != null ? request.namespaces()
                : request.namespace() != null ? List.of(request.namespace()) : List.of();
        if (namespaces.isEmpty() || namespaces.size() > 10 || namespaces.stream().anyMatch(n -> n == null)) {
            throw ValidationException.field("namespaces", "give 1 to 10 namespaces");
        }
        namespaces.forEach(this::confined);
        int k = request.topK() == null ? 5 : request.topK();
        MemoryService.validateSearch(namespaces, request.query(), k);
        long start = System.nanoTime();
        long[] embedded = new long[1];
        return memory.embed(request.query())
                .invoke(() -> embedded[0] = System.nanoTime())
                .chain(vector -> memory.searchVector(principal.tenant(), namespaces, vector, k))
                .map(found -> Response.ok(found.stream()
                                .map(f -> new MemoryHitView(view(f.record()), f.score(), f.similarity())).toList())
                        .header("Server-Timing", String.format(java.util.Locale.ROOT, "embed;dur=%.2f, retrieve;dur=%.2f",
                                (embedded[0] - start) / 1e6, (System.nanoTime() - embedded[0]) / 1e6))
                        .build());
    }

    @GET
    @Path("{id}")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.MEMORY)
    public Uni<MemoryView> get(@PathParam("id") String id) {
        return memory.get(principal.tenant(), Ids.parse(id, "memory")).map(MemoryResource::view);
    }

    /**
     * Replaces the content (re-embedded) and, with {@code ttlSeconds}, the expiry. The fields that
     * place a record ({@code namespace}, {@code kind}, {@code key}) cannot change: given here they
     * are refused, rather than ignored while the client believes the record moved.
     */
    @PATCH
    @Path("{id}")
    @Allowed({Role.SERVICE})
    public Uni<MemoryView> update(@PathParam("id") String id, MemoryRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        refuseFixedField("namespace", request.namespace());
        refuseFixedField("kind", request.kind());
        refuseFixedField("key", request.key());
        return memory.update(principal.tenant(), Ids.parse(id, "memory"), request.content(),
                expiry(request.ttlSeconds())).map(MemoryResource::view);
    }

    @DELETE
    @Path("{id}")
    @Allowed({Role.SERVICE})
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID memoryId = Ids.parse(id, "memory");
        return memory.delete(principal.tenant(), memoryId)
                .call(() -> audit.record(AuditAction.MEMORY_DELETE, new AuditTarget("memory", memoryId.toString()), null))
                .replaceWith(Response.noContent().build());
    }

    /** An actor credential reads only its own actor's namespace; others read any. */
    private String confined(String namespace) {
        return principal.actorScope().map(own -> {
            String mine = "actors/" + own;
            if (namespace != null && !namespace.equals(mine)) {
                throw new ForbiddenException("an actor key reads only the namespace " + mine);
            }
            return mine;
        }).orElse(namespace);
    }

    private static void refuseFixedField(String field, String value) {
        if (value != null) {
            throw ValidationException.field(field, "cannot be changed; PATCH takes content and ttlSeconds");
        }
    }

    private static Instant expiry(Long ttlSeconds) {
        Duration ttl = InputLimits.seconds("ttlSeconds", ttlSeconds);
        return ttl == null ? null : Instant.now().plus(ttl);
    }

    static MemoryView view(MemoryRecord r) {
        return new MemoryView(r.id().toString(), r.namespace(), r.kind(), r.key(), r.content(), r.actorId(),
                r.sourceSessionId() == null ? null
                        : new MemoryView.Source(r.sourceSessionId().toString(), r.sourceFromSeq(), r.sourceThroughSeq()),
                r.createdAt(), r.updatedAt(), r.expiresAt());
    }
}
