package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.observe.TraceContexts;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.service.HistoryService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OpenAI's Responses API over Berth's sessions and runs (first slice, ADR 0035): a response is a run,
 * a conversation is a session. {@code POST} submits the input as {@code POST /v1/sessions/{id}/messages}
 * does and waits for the run to settle (at most {@link RunService#MAX_WAIT}); a run still going then
 * is answered {@code in_progress}, to be read again with {@code GET}. Left out of Berth's OpenAPI
 * document on purpose: this surface's contract is OpenAI's.
 */
@Path("/openai/v1/responses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ResponsesResource {
    private final SessionService sessions;
    private final RunService runs;
    private final EventService events;
    private final RequestPrincipal principal;
    private final HistoryService history;

    @Inject
    public ResponsesResource(SessionService sessions, RunService runs, EventService events, RequestPrincipal principal,
            HistoryService history) {
        this.history = history;
        this.sessions = sessions;
        this.runs = runs;
        this.events = events;
        this.principal = principal;
    }

    @POST
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> create(@HeaderParam("traceparent") String traceparent, JsonNode body) {
        ResponsesRequest request = ResponsesRequest.parse(body);
        TenantId tenant = principal.tenant();
        return session(tenant, request)
                .chain(session -> runs.submit(tenant, session.id(), request.text(),
                        TraceContexts.current(traceparent), Optional.empty(), request.options()))
                .chain(run -> runs.await(tenant, run, RunService.MAX_WAIT))
                .chain(run -> view(tenant, run, request.previous()));
    }

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        TenantId tenant = principal.tenant();
        UUID runId = OpenAiIds.parseResponse(id);
        return runs.get(tenant, runId)
                .call(run -> owned(tenant, run.sessionId(), "response", id))
                .chain(run -> view(tenant, run, null));
    }

    /** The session the input goes to: the conversation's, the previous response's, or a new one. */
    private Uni<Session> session(TenantId tenant, ResponsesRequest request) {
        if (request.conversation() != null) {
            return owned(tenant, OpenAiIds.parseConversation(request.conversation()), "conversation", request.conversation())
                    .invoke(session -> sameAgent(session, request));
        }
        if (request.previous() != null) {
            return runs.get(tenant, OpenAiIds.parseResponse(request.previous()))
                    .call(run -> owned(tenant, run.sessionId(), "response", request.previous()))
                    .call(run -> ResponseForks.requireNewest(history, tenant, run, request.previous()))
                    .chain(run -> sessions.get(tenant, run.sessionId()))
                    .invoke(session -> sameAgent(session, request));
        }
        return sessions.open(tenant, new SessionService.Opening(request.agentName(), request.agentVersion(),
                actor(principal, request.user()), null, Map.of(), null, principal.get().subject()), Optional.empty());
    }

    /**
     * The actor of a new session: an actor credential's own; otherwise {@code user}, or, without it, the
     * credential itself ({@code key:<id>}, {@code oidc:...}): OpenAI's API has no notion of an actor, and an
     * application that sends no {@code user} gets one conversation owner per key. Chat Completions opens
     * its sessions by the same rule.
     */
    static String actor(RequestPrincipal principal, String user) {
        String confined = principal.confineActor("user", user);
        return confined != null ? confined : principal.get().subject();
    }

    /**
     * The session, if the caller may see it: an actor credential sees only its actor's sessions, and
     * another actor's is unknown to it (404), as on the native API (ActorScopeFilter).
     */
    private Uni<Session> owned(TenantId tenant, UUID sessionId, String what, String id) {
        return sessions.get(tenant, sessionId)
                .invoke(session -> principal.requireOwn(Optional.ofNullable(session.actorId()), what, id));
    }

    /** A conversation keeps its agent: {@code model} must name it (a session's agent changes only by handoff or upgrade). */
    private static void sameAgent(Session session, ResponsesRequest request) {
        if (!session.agentName().equals(request.agentName())) {
            throw ValidationException.field("model", "the conversation is with the agent '" + session.agentName()
                    + "', not '" + request.agentName() + "'");
        }
    }

    /** The response, built from the run's events (one page from its input on: enough for a turn of this slice). */
    private Uni<ObjectNode> view(TenantId tenant, Run run, String previous) {
        return events.after(tenant, run.sessionId(), run.inputSeq() - 1, EventService.MAX_PAGE)
                .map(found -> ResponseViews.response(run, found, previous));
    }
}
