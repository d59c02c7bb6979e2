package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.observe.TraceContexts;
import dev.berth.deploy.rest.QueryNumbers;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.SessionKillService;
import dev.berth.runtime.run.paused.PausedRunService;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.service.HistoryService;
import dev.berth.runtime.service.SessionService;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OpenAI's Responses API over Berth's sessions and runs (first slice, ADR 0035): a response is a run,
 * a conversation is a session. {@code POST} submits the input as {@code POST /v1/sessions/{id}/messages}
 * does and waits for the run to settle (at most {@link RunService#MAX_WAIT}); a run still going then
 * is answered {@code in_progress}, to be read again with {@code GET}. A run that pauses for its client
 * is a response that ends in function calls or approval requests; the next request answers them through
 * {@link PausedRunService}, as {@code POST /v1/runs/{id}/actions} does, and is answered with the run's
 * next segment (ADR 0037). Left out of Berth's OpenAPI document on purpose: this surface's contract is OpenAI's.
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
    private final BackgroundResponses responses;
    private final PausedRunService actions;
    private final AuditRecorder audit;
    private final SessionKillService kills;

    @Inject
    public ResponsesResource(SessionService sessions, RunService runs, EventService events, RequestPrincipal principal,
            HistoryService history, BackgroundResponses responses, PausedRunService actions, AuditRecorder audit,
            SessionKillService kills) {
        this.history = history;
        this.sessions = sessions;
        this.runs = runs;
        this.events = events;
        this.principal = principal;
        this.responses = responses;
        this.actions = actions;
        this.audit = audit;
        this.kills = kills;
    }

    /** Answered as JSON once settled (ADR 0035), at once ({@code background}), or as events ({@code stream}, ADR 0038). */
    @POST
    @Operation(hidden = true)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<Response> create(@HeaderParam("traceparent") String traceparent, JsonNode body) {
        ResponsesRequest request = ResponsesRequest.parse(body);
        TenantId tenant = principal.tenant();
        if (!request.answers().isEmpty()) {
            return answer(tenant, request).map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
        }
        return session(tenant, request)
                .chain(session -> runs.submit(tenant, session.id(), request.text(),
                        TraceContexts.current(traceparent), Optional.empty(), request.options()))
                .chain(run -> responses.answer(tenant, run, new BackgroundResponses.Delivery(request.stream(),
                        request.background(), request.store(), request.previous())));
    }

    /**
     * Answers the paused run of {@code previous_response_id} (or of {@code conversation}) with the request's
     * function_call_output and mcp_approval_response items, through the service the native actions route
     * uses (same checks, same audit rows), waits as a new response does, and answers with the segment
     * the answers began: a new response id for the same run (ADR 0037).
     */
    private Uni<ObjectNode> answer(TenantId tenant, ResponsesRequest request) {
        List<ResponseInputItems.Answer> answers = request.answers();
        return pausedRun(tenant, request)
                .chain(run -> responses.runEvents(tenant, run).map(found -> ResponseSegments.of(run, found).lastPause())
                        .chain(pause -> actions.required(tenant, run)
                                .invoke(pending -> ResponseInputItems.requireEvery(pending, answers))
                                .chain(() -> actions.answer(tenant, run.id(), ResponseInputItems.actions(answers),
                                        Optional.empty(), principal.get().subject()))
                                .call(answered -> audit.recordAnswers(run.id(), ResponseInputItems.actions(answers)))
                                .onFailure().recoverWithUni(failure -> kills.explainRefusedAnswer(tenant, run.id(),
                                                ResponseInputItems.inRequestTerms(failure, answers))
                                        .chain(explained -> Uni.createFrom().<Run>failure(explained)))
                                .chain(answered -> runs.await(tenant, answered, RunService.MAX_WAIT))
                                .chain(settled -> responses.runEvents(tenant, settled).map(found -> {
                                    ResponseSegments segments = ResponseSegments.of(settled, found);
                                    return ResponseViews.response(settled, segments, segments.after(pause),
                                            request.previous());
                                }))));
    }

    /** The run the answers are for: the previous response's, or the conversation's latest paused run. */
    private Uni<Run> pausedRun(TenantId tenant, ResponsesRequest request) {
        if (request.previous() != null) {
            return runs.get(tenant, OpenAiIds.parseResponse(request.previous()))
                    .call(run -> owned(tenant, run.sessionId(), "response", request.previous())
                            .invoke(session -> sameAgent(session, request)));
        }
        if (request.conversation() != null) {
            return owned(tenant, OpenAiIds.parseConversation(request.conversation()), "conversation", request.conversation())
                    .invoke(session -> sameAgent(session, request))
                    .chain(session -> events.after(tenant, session.id(), Math.max(0, session.lastSeq() - EventService.MAX_PAGE),
                            EventService.MAX_PAGE))
                    .chain(found -> found.reversed().stream()
                            .filter(event -> EventType.RUN_REQUIRES_ACTION.equals(event.type())).findFirst()
                            .map(pause -> runs.get(tenant, pause.runId()))
                            .orElseGet(() -> Uni.createFrom().failure(new ConflictException("run-not-waiting",
                                    "conversation '" + request.conversation() + "' has no response waiting for answers"))));
        }
        throw ValidationException.field("input", "function_call_output and mcp_approval_response items answer a "
                + "response: give its previous_response_id, or the conversation");
    }

    /** The response as JSON, or with {@code stream=true} its events after {@code starting_after} (ADR 0038). */
    @GET
    @Path("{id}")
    @Operation(hidden = true)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("stream") String stream,
            @QueryParam("starting_after") String startingAfter) {
        boolean streamed = flag("stream", stream);
        long after = QueryNumbers.longInteger("starting_after", startingAfter, -1);
        if (after < -1) {
            throw ValidationException.field("starting_after", "must not be negative");
        }
        TenantId tenant = principal.tenant();
        if (!streamed) {
            // a segment of a run resumed after a pause is a response of its own (ADR 0037)
            OpenAiIds.ResponseRef ref = OpenAiIds.parseSegment(id);
            return found(tenant, id).chain(run -> view(tenant, run, null, ref))
                    .map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
        }
        return found(tenant, id).map(run -> responses.replay(tenant, run, after));
    }

    /** Cancels a response in progress, background or not (ADR 0038). */
    @POST
    @Path("{id}/cancel")
    @Operation(hidden = true)
    @Allowed({Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> cancel(@PathParam("id") String id) {
        TenantId tenant = principal.tenant();
        return found(tenant, id).chain(run -> responses.cancel(tenant, run));
    }

    /** Deletes a settled response that is its conversation's only one, with the conversation (ADR 0038). */
    @DELETE
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> delete(@PathParam("id") String id) {
        TenantId tenant = principal.tenant();
        return found(tenant, id).chain(run -> responses.delete(tenant, run));
    }

    /** The response's input items, paged as OpenAI's lists (ADR 0038). */
    @GET
    @Path("{id}/input_items")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> inputItems(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limit, @QueryParam("order") String order, @QueryParam("include") String include) {
        if (include != null) {
            throw ValidationException.field("include", "is not supported yet by Berth's OpenAI-compatible API");
        }
        Integer most = limit == null ? null : QueryNumbers.integer("limit", limit, ResponseInputItemsPage.DEFAULT_LIMIT);
        TenantId tenant = principal.tenant();
        return found(tenant, id).chain(run -> responses.runEvents(tenant, run)
                .map(found -> ResponseInputItemsPage.page(run, found, after, most, order)));
    }

    private static boolean flag(String name, String raw) {
        if (raw == null || raw.isBlank() || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw ValidationException.field(name, "must be true or false");
    }

    /** The run a response id names, if the caller may see it (404 otherwise). */
    private Uni<Run> found(TenantId tenant, String id) {
        return runs.get(tenant, OpenAiIds.parseResponse(id)).call(run -> owned(tenant, run.sessionId(), "response", id));
    }

    /** The session the input goes to: the conversation's, the previous response's, or a new one. */
    private Uni<Session> session(TenantId tenant, ResponsesRequest request) {
        if (request.conversation() != null) {
            return owned(tenant, OpenAiIds.parseConversation(request.conversation()), "conversation", request.conversation())
                    .invoke(session -> sameAgent(session, request));
        }
        if (request.previous() != null) {
            return runs.get(tenant, OpenAiIds.parseResponse(request.previous()))
                    .invoke(run -> notPaused(run, request.previous()))
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

    /**
     * OpenAI refuses to continue a response that ended in function calls without their outputs; so does
     * Berth, rather than queue the message behind a run that waits for answers (ADR 0037).
     */
    private static void notPaused(Run run, String previous) {
        if (run.status() == RunStatus.REQUIRES_ACTION) {
            throw ValidationException.field("input", "response '" + previous + "' waits for answers to its calls: "
                    + "send function_call_output or mcp_approval_response items for each");
        }
    }

    /** The segment {@code ref} names, built from the run's events. */
    private Uni<ObjectNode> view(TenantId tenant, Run run, String previous, OpenAiIds.ResponseRef ref) {
        return responses.runEvents(tenant, run).map(found -> {
            ResponseSegments segments = ResponseSegments.of(run, found);
            return ResponseViews.response(run, segments, segments.at(ref), previous);
        });
    }
}
