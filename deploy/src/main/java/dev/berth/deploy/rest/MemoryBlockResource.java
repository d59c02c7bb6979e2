package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.deploy.auth.Allowed;
import dev.berth.runtime.domain.Role;
import dev.berth.deploy.api.MemoryBlockView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Pinned memory blocks of a namespace: small labelled texts always in the context of its agents. */
@Path("/v1/memory-blocks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemoryBlockResource {
    private final MemoryService memory;
    private final RequestPrincipal principal;
    private final IdempotentRequests idempotent;
    private final AuditRecorder audit;

    @Inject
    public MemoryBlockResource(MemoryService memory, RequestPrincipal principal, IdempotentRequests idempotent,
            AuditRecorder audit) {
        this.audit = audit;
        this.idempotent = idempotent;
        this.memory = memory;
        this.principal = principal;
    }

    @GET
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<List<MemoryBlockView>> list(@QueryParam("namespace") String namespace) {
        return memory.blocks(principal.tenant(), List.of(namespace == null ? "" : namespace))
                .map(blocks -> blocks.stream().map(MemoryBlockResource::view).toList());
    }

    /**
     * Creates or replaces the block. With an {@code Idempotency-Key}, a retry of the same request
     * answers with the block as it is now and writes nothing (ADR 0024).
     */
    @PUT
    @Path("{label}")
    @APIResponse(responseCode = "200", description = "the block", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MemoryBlockView.class)))
    @Allowed({Role.DEVELOPER})
    public Uni<Response> put(@QueryParam("namespace") String namespace, @PathParam("label") String label,
            @Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            MemoryBlockView request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        TenantId tenant = principal.tenant();
        // The namespace (a query value) goes with the body into the request's fingerprint.
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "PUT", "/v1/memory-blocks/" + label,
                        java.util.Arrays.asList(namespace, request)),
                key -> memory.putBlock(tenant, namespace, label, request.content(), key)
                        .call(block -> audit.record(AuditAction.MEMORY_BLOCK_PUT, target(block.namespace(), label),
                                java.util.Arrays.asList(namespace, request)))
                        .map(MemoryBlockResource::ok),
                earlier -> memory.blocks(tenant, List.of(namespace)).map(blocks -> ok(blocks.stream()
                        .filter(block -> block.label().equals(label)).findFirst()
                        .orElseThrow(() -> new NotFoundException("memory block", label)))));
    }

    private static Response ok(MemoryBlock block) {
        return Response.ok(view(block)).build();
    }

    @DELETE
    @Path("{label}")
    @Allowed({Role.DEVELOPER})
    public Uni<Response> delete(@QueryParam("namespace") String namespace, @PathParam("label") String label) {
        return memory.deleteBlock(principal.tenant(), namespace, label)
                .call(() -> audit.record(AuditAction.MEMORY_BLOCK_DELETE, target(namespace, label), null))
                .replaceWith(Response.noContent().build());
    }

    private static AuditTarget target(String namespace, String label) {
        return new AuditTarget("memory-block", (namespace == null ? "" : namespace) + "#" + label);
    }

    private static MemoryBlockView view(MemoryBlock block) {
        return new MemoryBlockView(block.namespace(), block.label(), block.content(), block.updatedAt());
    }
}
