package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.service.HistoryService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OpenAI's Conversations API over Berth's sessions (ADR 0039): a conversation is a session, its items
 * are the session's events (history a client adds is written by {@link HistoryService} as events no
 * run made), and deleting an item appends a mark that hides it; the log is never rewritten. A session
 * needs an agent: {@code metadata.agent} ({@code name} or {@code name@version}) names it, else
 * {@code berth.openai.conversation-agent}. Roles and actor confinement as on the responses routes.
 */
@Path("/openai/v1/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConversationsResource {
    /** The metadata key that names a new conversation's agent. */
    static final String AGENT_KEY = "agent";

    private final SessionService sessions;
    private final HistoryService history;
    private final ConversationItems items;
    private final RequestPrincipal principal;
    private final Optional<String> defaultAgent;

    @Inject
    public ConversationsResource(SessionService sessions, HistoryService history, RequestPrincipal principal,
            @ConfigProperty(name = "berth.openai.conversation-agent") Optional<String> defaultAgent) {
        this.sessions = sessions;
        this.history = history;
        this.items = new ConversationItems(history);
        this.principal = principal;
        this.defaultAgent = defaultAgent;
    }

    @POST
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> create(JsonNode body) {
        ConversationRequest request = ConversationRequest.create(body);
        Map<String, Object> metadata = request.metadata() == null ? Map.of() : request.metadata();
        String agent = (String) metadata.getOrDefault(AGENT_KEY, defaultAgent.orElse(null));
        if (agent == null || agent.isBlank()) {
            throw ValidationException.field("metadata", "metadata.agent must name the conversation's Berth agent"
                    + " (no default agent is configured: berth.openai.conversation-agent)");
        }
        ResponsesRequest.AgentModel model = ResponsesRequest.AgentModel.of("metadata", agent);
        HistoryService.check(request.items());
        TenantId tenant = principal.tenant();
        return sessions.open(tenant, new SessionService.Opening(model.name(), model.version(),
                        ResponsesResource.actor(principal, null), null, metadata, null, principal.get().subject()),
                        Optional.empty())
                .call(session -> request.items().isEmpty() ? Uni.createFrom().voidItem()
                        : history.append(tenant, session.id(), request.items())
                                // two transactions: a session whose items could not be written is removed again
                                .onFailure().call(() -> sessions.delete(tenant, session.id())))
                .map(ConversationViews::conversation);
    }

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        return owned(id).map(ConversationViews::conversation);
    }

    @POST
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> update(@PathParam("id") String id, JsonNode body) {
        ConversationRequest request = ConversationRequest.update(body);
        return owned(id).chain(session -> sessions.updateMetadata(session.tenant(), session.id(), request.metadata()))
                .map(ConversationViews::conversation);
    }

    /** Deletes the session with its events and runs, as {@code DELETE /v1/sessions/{id}}. */
    @DELETE
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> delete(@PathParam("id") String id) {
        return owned(id).chain(session -> sessions.delete(session.tenant(), session.id())
                .replaceWith(ConversationViews.deleted(OpenAiIds.conversation(session.id()))));
    }

    @GET
    @Path("{id}/items")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> listItems(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @QueryParam("order") String order,
            @QueryParam("include") List<String> include) {
        // include: Berth's items carry none of the optional fields OpenAI can add, so it changes nothing.
        return owned(id).chain(session -> items.list(session.tenant(), session.id(), after, limit, order));
    }

    /** Adds items (refused while a response of the conversation is in progress: 409 session-busy). */
    @POST
    @Path("{id}/items")
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> addItems(@PathParam("id") String id, @QueryParam("include") List<String> include,
            JsonNode body) {
        ConversationRequest request = ConversationRequest.addItems(body);
        HistoryService.check(request.items());
        return owned(id).chain(session -> history.append(session.tenant(), session.id(), request.items()))
                .map(ConversationItems::added);
    }

    @GET
    @Path("{id}/items/{item}")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> getItem(@PathParam("id") String id, @PathParam("item") String item,
            @QueryParam("include") List<String> include) {
        return owned(id).chain(session -> items.item(session.tenant(), session.id(), item));
    }

    /** Hides the item from later model calls and item lists; the log keeps it (ADR 0039). */
    @DELETE
    @Path("{id}/items/{item}")
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> deleteItem(@PathParam("id") String id, @PathParam("item") String item) {
        return owned(id).call(session -> items.item(session.tenant(), session.id(), item)
                        .chain(found -> history.hide(session.tenant(), session.id(), OpenAiIds.parseItem(item).seq(),
                                "item", item)))
                .map(ConversationViews::conversation);
    }

    /** The session a conversation id names, if the caller may see it (another actor's is a 404). */
    private Uni<Session> owned(String id) {
        TenantId tenant = principal.tenant();
        UUID sessionId = OpenAiIds.parseConversation(id);
        return sessions.get(tenant, sessionId)
                .invoke(session -> principal.requireOwn(Optional.ofNullable(session.actorId()), "conversation", id));
    }
}
