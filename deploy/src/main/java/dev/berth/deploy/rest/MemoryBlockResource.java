package dev.berth.deploy.rest;

import dev.berth.deploy.api.MemoryBlockView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Pinned memory blocks of a namespace: small labelled texts always in the context of its agents. */
@Path("/v1/memory-blocks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemoryBlockResource {
    private final MemoryService memory;
    private final RequestPrincipal principal;

    @Inject
    public MemoryBlockResource(MemoryService memory, RequestPrincipal principal) {
        this.memory = memory;
        this.principal = principal;
    }

    @GET
    public Uni<List<MemoryBlockView>> list(@QueryParam("namespace") String namespace) {
        return memory.blocks(principal.tenant(), List.of(namespace == null ? "" : namespace))
                .map(blocks -> blocks.stream().map(MemoryBlockResource::view).toList());
    }

    /** Creates or replaces the block. */
    @PUT
    @Path("{label}")
    public Uni<MemoryBlockView> put(@QueryParam("namespace") String namespace, @PathParam("label") String label,
            MemoryBlockView request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        return memory.putBlock(principal.tenant(), namespace, label, request.content())
                .map(MemoryBlockResource::view);
    }

    @DELETE
    @Path("{label}")
    public Uni<Response> delete(@QueryParam("namespace") String namespace, @PathParam("label") String label) {
        return memory.deleteBlock(principal.tenant(), namespace, label).replaceWith(Response.noContent().build());
    }

    private static MemoryBlockView view(MemoryBlock block) {
        return new MemoryBlockView(block.namespace(), block.label(), block.content(), block.updatedAt());
    }
}
