package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.observe.TraceContexts;
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
    private final PausedRunService actions;
    private final AuditRecorder audit;
    private final SessionKillService kills;

    @Inject
    public ResponsesResource(SessionService sessions, RunService runs, EventService events, RequestPrincipal principal,
            PausedRunService actions, AuditRecorder audit, SessionKillService kills) {
        this.sessions = sessions;
        this.runs = runs;
        this.events = events;
        this.principal = principal;
        this.actions = actions;
        this.audit = audit;
        this.kills = kills;
    }

    @POST
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> create(@HeaderParam("traceparent") String traceparent, JsonNode body) {
        ResponsesRequest request = ResponsesRequest.parse(body);
        TenantId tenant = principal.tenant();
        if (!request.answers().isEmpty()) {
            return answer(tenant, request);
        }
        return session(tenant, request)
                .chain(session -> runs.submit(tenant, session.id(), request.text(),
                        TraceContexts.current(traceparent), Optional.empty()))
                .chain(run -> runs.await(tenant, run, RunService.MAX_WAIT))
                .chain(run -> view(tenant, run, request.previous(), new OpenAiIds.ResponseRef(run.id(), 0)));
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
                .chain(run -> runEvents(tenant, run).map(found -> ResponseSegments.of(run, found).lastPause())
                        .chain(pause -> actions.required(tenant, run)
                                .invoke(pending -> ResponseInputItems.requireEvery(pending, answers))
                                .chain(() -> actions.answer(tenant, run.id(), ResponseInputItems.actions(answers),
                                        Optional.empty(), principal.get().subject()))
                                .call(answered -> audit.recordAnswers(run.id(), ResponseInputItems.actions(answers)))
                                .onFailure().recoverWithUni(failure -> kills.explainRefusedAnswer(tenant, run.id(),
                                                ResponseInputItems.inRequestTerms(failure, answers))
                                        .chain(explained -> Uni.createFrom().<Run>failure(explained)))
                                .chain(answered -> runs.await(tenant, answered, RunService.MAX_WAIT))
                                .chain(settled -> runEvents(tenant, settled).map(found -> {
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

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        TenantId tenant = principal.tenant();
        OpenAiIds.ResponseRef ref = OpenAiIds.parseSegment(id);
        return runs.get(tenant, ref.run())
                .call(run -> owned(tenant, run.sessionId(), "response", id))
                .chain(run -> view(tenant, run, null, ref));
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
                    .chain(run -> owned(tenant, run.sessionId(), "response", request.previous()))
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
        return runEvents(tenant, run).map(found -> {
            ResponseSegments segments = ResponseSegments.of(run, found);
            return ResponseViews.response(run, segments, segments.at(ref), previous);
        });
    }

    /** The session's events from the run's input on (one page: enough for a turn of this slice). */
    private Uni<List<Event>> runEvents(TenantId tenant, Run run) {
        return events.after(tenant, run.sessionId(), run.inputSeq() - 1, EventService.MAX_PAGE);
    }
}
