package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.deploy.auth.Allowed;
import dev.berth.runtime.domain.Role;
import dev.berth.deploy.api.AgentRequest;
import dev.berth.deploy.api.AgentVersionsView;
import dev.berth.deploy.api.AgentView;
import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.PageView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.service.AgentService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Agents: immutable definitions; every PUT creates a new version. A definition may carry up to
 * a megabyte of client-tool schemas, so bodies are read and written by {@link OffLoopJson}, off
 * the event loop; the OpenAPI annotations keep the documented shapes.
 */
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {
    private final AgentService agents;
    private final RequestPrincipal principal;
    private final OffLoopJson json;
    private final IdempotentRequests idempotent;
    private final AuditRecorder audit;

    @Inject
    public AgentResource(AgentService agents, RequestPrincipal principal, OffLoopJson json, IdempotentRequests idempotent,
            AuditRecorder audit) {
        this.audit = audit;
        this.idempotent = idempotent;
        this.agents = agents;
        this.principal = principal;
        this.json = json;
    }

    /**
     * Creates a new version of the agent (201, version 1 for a new name). With an
     * {@code Idempotency-Key}, a retry of the same request answers with the version it created and
     * creates none (ADR 0024); the key's fingerprint takes the body's bytes as sent.
     */
    @PUT
    @Path("{name}")
    @APIResponse(responseCode = "201", description = "the new version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @Allowed({Role.DEVELOPER})
    public Uni<Response> define(@PathParam("name") String name,
            @Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AgentRequest.class))) byte[] body) {
        TenantId tenant = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "PUT", "/v1/agents/" + name, body),
                key -> json.read(tenant, body, AgentRequest.class, ApiMapper::toSpec)
                        .chain(spec -> agents.define(tenant, name, spec, key))
                        .call(agent -> audit.record(AuditAction.AGENT_VERSION,
                                new AuditTarget("agent", agent.name() + "/" + agent.version()), body))
                        .chain(agent -> created(tenant, agent)),
                earlier -> agents.get(tenant, name, Integer.valueOf(earlier.resource()))
                        .chain(agent -> created(tenant, agent)));
    }

    private Uni<Response> created(TenantId tenant, AgentDefinition agent) {
        return json.write(tenant, Locations.created("/v1/agents/" + agent.name() + "/versions/" + agent.version()),
                ApiMapper.agent(agent), large(List.of(agent)));
    }

    /** The latest version of each agent, by name, paged: pass {@code nextCursor} as {@code cursor}. */
    @GET
    @APIResponse(responseCode = "200", description = "a page of the latest version of each agent, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentPage.class)))
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<Response> list(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        TenantId tenant = principal.tenant();
        return agents.list(tenant, cursor, QueryNumbers.integer("limit", limit, 20)).chain(page -> json.write(tenant,
                Response.ok(), new PageView<>(page.items().stream().map(ApiMapper::agent).toList(), page.nextCursor()),
                large(page.items())));
    }

    /** The latest version. */
    @GET
    @Path("{name}")
    @APIResponse(responseCode = "200", description = "the latest version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<Response> latest(@PathParam("name") String name) {
        TenantId tenant = principal.tenant();
        return agents.get(tenant, name, null)
                .chain(agent -> json.write(tenant, Response.ok(), ApiMapper.agent(agent), large(List.of(agent))));
    }

    @GET
    @Path("{name}/versions")
    @APIResponse(responseCode = "200", description = "every version of the agent", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentVersionsView.class)))
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<Response> versions(@PathParam("name") String name) {
        TenantId tenant = principal.tenant();
        return agents.versions(tenant, name).chain(all -> json.write(tenant, Response.ok(),
                new AgentVersionsView(name, all.stream().map(ApiMapper::agent).toList()), large(all)));
    }

    @GET
    @Path("{name}/versions/{version}")
    @APIResponse(responseCode = "200", description = "one version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<Response> version(@PathParam("name") String name, @PathParam("version") int version) {
        TenantId tenant = principal.tenant();
        return agents.get(tenant, name, version)
                .chain(agent -> json.write(tenant, Response.ok(), ApiMapper.agent(agent), large(List.of(agent))));
    }

    /** Client-tool schemas are what makes a definition large (up to about a megabyte each). */
    private static boolean large(List<AgentDefinition> agents) {
        return agents.stream().anyMatch(agent -> !agent.spec().clientTools().isEmpty());
    }

    /** The page's shape for the OpenAPI document only (a generic {@link PageView} cannot be named there). */
    @Schema(name = "AgentPage")
    record AgentPage(List<AgentView> items, String nextCursor) {
    }
}
