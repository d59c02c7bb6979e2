package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.deploy.auth.Allowed;
import dev.berth.runtime.domain.Role;
import dev.berth.deploy.api.ErasureView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.memory.MemoryService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** End users (actors) of the tenant. */
@Path("/v1/actors")
@Produces(MediaType.APPLICATION_JSON)
public class ActorResource {
    private final MemoryService memory;
    private final RequestPrincipal principal;
    private final AuditRecorder audit;

    @Inject
    public ActorResource(MemoryService memory, RequestPrincipal principal, AuditRecorder audit) {
        this.audit = audit;
        this.memory = memory;
        this.principal = principal;
    }

    /**
     * Erases everything about an actor in one transaction: their sessions with events, runs and
     * extraction jobs, their memories and blocks. Idempotent: erasing an unknown actor removes nothing.
     */
    @DELETE
    @Path("{id}")
    @Allowed({})
    public Uni<ErasureView> erase(@PathParam("id") String actorId) {
        return memory.eraseActor(principal.tenant(), actorId)
                // Erasing an unknown actor removes nothing, and records nothing.
                .call(e -> e.sessions() + e.memories() + e.blocks() + e.jobs() == 0 ? Uni.createFrom().voidItem()
                        : audit.record(AuditAction.ACTOR_ERASE, new AuditTarget("actor", actorId), null))
                .map(e -> new ErasureView(actorId, e.sessions(), e.memories(), e.blocks(), e.jobs()));
    }
}
