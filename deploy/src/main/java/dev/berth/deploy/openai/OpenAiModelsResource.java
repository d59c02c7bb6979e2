package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.service.AgentService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's agents as OpenAI models ({@code GET /openai/v1/models}): each agent's latest version,
 * {@code owned_by} the tenant. OpenAI's list has no paging, so every page of agents is read.
 */
@Path("/openai/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiModelsResource {
    private final AgentService agents;
    private final RequestPrincipal principal;

    @Inject
    public OpenAiModelsResource(AgentService agents, RequestPrincipal principal) {
        this.agents = agents;
        this.principal = principal;
    }

    @GET
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE})
    public Uni<ObjectNode> list() {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("object", "list");
        return add(principal.tenant(), null, list.putArray("data")).replaceWith(list);
    }

    private Uni<Void> add(TenantId tenant, String cursor, ArrayNode data) {
        return agents.list(tenant, cursor, InputLimits.MAX_PAGE).chain(page -> {
            page.items().forEach(agent -> data.add(model(agent)));
            return page.nextCursor() == null ? Uni.createFrom().voidItem() : add(tenant, page.nextCursor(), data);
        });
    }

    private static ObjectNode model(AgentDefinition agent) {
        return JsonNodeFactory.instance.objectNode()
                .put("id", agent.name())
                .put("object", "model")
                .put("created", agent.createdAt().getEpochSecond())
                .put("owned_by", agent.tenant().value().toString());
    }
}
