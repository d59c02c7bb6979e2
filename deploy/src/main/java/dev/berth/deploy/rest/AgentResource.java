package dev.berth.deploy.rest;

import dev.berth.deploy.api.AgentRequest;
import dev.berth.deploy.api.AgentVersionsView;
import dev.berth.deploy.api.AgentView;
import dev.berth.deploy.api.PageView;
import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.service.AgentService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Agents: immutable definitions; every PUT creates a new version. */
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {
    private final AgentService agents;
    private final RequestPrincipal principal;

    @Inject
    public AgentResource(AgentService agents, RequestPrincipal principal) {
        this.agents = agents;
        this.principal = principal;
    }

    /** Creates a new version of the agent (201, version 1 for a new name). */
    @PUT
    @Path("{name}")
    public Uni<Response> define(@PathParam("name") String name, AgentRequest request) {
        return agents.define(principal.tenant(), name, ApiMapper.toSpec(request))
                .map(agent -> Locations.created("/v1/agents/" + name + "/versions/" + agent.version())
                        .entity(ApiMapper.agent(agent)).build());
    }

    /** The latest version of each agent, by name, paged: pass {@code nextCursor} as {@code cursor}. */
    @GET
    public Uni<PageView<AgentView>> list(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        return agents.list(principal.tenant(), cursor, QueryNumbers.integer("limit", limit, 20))
                .map(page -> new PageView<>(page.items().stream().map(ApiMapper::agent).toList(), page.nextCursor()));
    }

    /** The latest version. */
    @GET
    @Path("{name}")
    public Uni<AgentView> latest(@PathParam("name") String name) {
        return agents.get(principal.tenant(), name, null).map(ApiMapper::agent);
    }

    @GET
    @Path("{name}/versions")
    public Uni<AgentVersionsView> versions(@PathParam("name") String name) {
        return agents.versions(principal.tenant(), name)
                .map(all -> new AgentVersionsView(name, all.stream().map(ApiMapper::agent).toList()));
    }

    @GET
    @Path("{name}/versions/{version}")
    public Uni<AgentView> version(@PathParam("name") String name, @PathParam("version") int version) {
        return agents.get(principal.tenant(), name, version).map(ApiMapper::agent);
    }
}
