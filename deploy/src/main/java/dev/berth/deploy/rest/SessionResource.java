package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.ActorOwned;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.DeltaView;
import dev.berth.deploy.api.EventPageView;
import dev.berth.deploy.api.EventView;
import dev.berth.deploy.api.MessageRequest;
import dev.berth.deploy.api.PageView;
import dev.berth.deploy.api.SessionRequest;
import dev.berth.deploy.api.SessionView;
import dev.berth.deploy.api.UpgradeRequest;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.error.Problems;
import dev.berth.deploy.observe.SseStreams;
import dev.berth.deploy.observe.TraceContexts;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.run.paused.PausedRunService;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.run.SessionKillService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Sessions, the input sent to them, and their events (paged and streamed). */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** The name of the last event of a stream a fault ended. */
    static final String STREAM_ERROR = "stream.error";
    /** When a client should reconnect after a stream a fault ended (the SSE retry field). */
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    private final SessionService sessions;
    private final RunService runs;
    private final EventService events;
    private final RequestPrincipal principal;
    private final Sse sse;
    private final ObjectMapper json;
    private final PausedRunService actions;
    private final SseStreams streams;
    private final StreamedSession streamed;
    private final IdempotentRequests idempotent;
    private final SessionKillService kills;
    private final AuditRecorder audit;

    @Inject
    public SessionResource(SessionService sessions, RunService runs, EventService events, RequestPrincipal principal,
            Sse sse, ObjectMapper json, PausedRunService actions, SseStreams streams, StreamedSession streamed,
            IdempotentRequests idempotent, SessionKillService kills, AuditRecorder audit) {
        this.audit = audit;
        this.idempotent = idempotent;
        this.kills = kills;
        this.actions = actions;
        this.streams = streams;
        this.streamed = streamed;
        this.sessions = sessions;
        this.runs = runs;
        this.events = events;
        this.principal = principal;
        this.sse = sse;
        this.json = json;
    }

    /**
     * Opens a session (201). With an {@code Idempotency-Key}, a retry of the same request answers
     * with the session it opened (ADR 0024).
     */
    @POST
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Uni<Response> open(@Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            SessionRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        TenantId tenant = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST", "/v1/sessions", request),
                key -> sessions.open(tenant, new SessionService.Opening(request.agent(), request.agentVersion(),
                                principal.confineActor("actorId", request.actorId()), request.inputPolicy() == null ? null : ApiMapper.policy(request.inputPolicy()),
                                ApiMapper.metadata(request.metadata()), InputLimits.seconds("ttlSeconds", request.ttlSeconds()),
                                principal.get().subject()),
                        key).map(SessionResource::opened),
                earlier -> sessions.get(tenant, UUID.fromString(earlier.resource())).map(SessionResource::opened));
    }

    private static Response opened(Session session) {
        return Locations.created("/v1/sessions/" + session.id()).entity(ApiMapper.session(session)).build();
    }

    @GET
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    public Uni<PageView<SessionView>> list(@QueryParam("actorId") String actorId, @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        return sessions.list(principal.tenant(), principal.confineActor("actorId", actorId), cursor, QueryNumbers.integer("limit", limit, 20))
                .map(page -> new PageView<>(page.items().stream().map(ApiMapper::session).toList(), page.nextCursor()));
    }

    @GET
    @Path("{id}")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.SESSION)
    public Uni<SessionView> get(@PathParam("id") String id) {
        return sessions.get(principal.tenant(), Ids.parse(id, "session")).map(ApiMapper::session);
    }

    /**
     * Upgrades the session to a version of its current agent ({@code agentVersion}, or the latest)
     * and pins its team's members afresh at their latest versions.
     */
    @POST
    @Path("{id}/upgrade")
    @Allowed({Role.DEVELOPER})
    public Uni<SessionView> upgrade(@PathParam("id") String id, UpgradeRequest request) {
        return sessions.upgrade(principal.tenant(), Ids.parse(id, "session"),
                request == null ? null : request.agentVersion()).map(ApiMapper::session);
    }

    /** Deletes the session with all its events and runs. */
    @DELETE
    @Path("{id}")
    @Allowed({Role.OPERATOR})
    public Uni<Response> delete(@PathParam("id") String id) {
        return sessions.delete(principal.tenant(), Ids.parse(id, "session")).replaceWith(Response.noContent().build());
    }

    /**
     * The operator kill switch: cancels the session's live runs and their sub-agent trees (paused
     * and waiting ones at once, running ones at their next step boundary, on whichever process runs
     * them) and refuses input ({@code 409 session-killed}) until the session is reopened. Killing a
     * killed session again changes nothing. Answers with the session, which shows who killed it and when.
     */
    @POST
    @Path("{id}/kill")
    @Allowed({Role.OPERATOR})
    public Uni<SessionView> kill(@PathParam("id") String id) {
        UUID sessionId = Ids.parse(id, "session");
        return kills.kill(principal.tenant(), sessionId, principal.get().subject())
                .call(() -> audit.record(AuditAction.SESSION_KILL, new AuditTarget("session", sessionId.toString()), null))
                .map(ApiMapper::session);
    }

    /** Lets a killed session take input again; a session that is not killed stays as it is. */
    @POST
    @Path("{id}/reopen")
    @Allowed({Role.OPERATOR})
    public Uni<SessionView> reopen(@PathParam("id") String id) {
        UUID sessionId = Ids.parse(id, "session");
        return kills.reopen(principal.tenant(), sessionId)
                .call(() -> audit.record(AuditAction.SESSION_REOPEN, new AuditTarget("session", sessionId.toString()), null))
                .map(ApiMapper::session);
    }

    /**
     * Submits input: the input event and a queued run are committed before this returns 202.
     * With {@code wait} (seconds, at most 60), answers once the run has settled (200) or the
     * wait is over (202). A W3C {@code traceparent} header is stored with the input: the run's
     * trace continues the caller's. With an {@code Idempotency-Key}, a retry of the same input
     * answers with the run the first request created (waiting on it as that one did), and adds no
     * input (ADR 0024).
     */
    @POST
    @Path("{id}/messages")
    @Allowed({Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.SESSION)
    public Uni<Response> submit(@PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("wait") String wait,
            @HeaderParam("traceparent") String traceparent,
            @Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            MessageRequest request) {
        UUID sessionId = Ids.parse(id, "session");
        int waitSeconds = QueryNumbers.integer("wait", wait, 0);
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        InputLimits.count("wait", waitSeconds, 0, InputLimits.MAX_WAIT_SECONDS);
        TenantId tenant = principal.tenant();
        // wait is not part of the request's identity: it changes how long the answer waits, not the effect.
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST",
                        "/v1/sessions/" + sessionId + "/messages", request),
                key -> runs.submit(tenant, sessionId, request.text(), TraceContexts.current(traceparent), key)
                        .chain(run -> answer(tenant, run, waitSeconds)),
                // A retry waits on the run the first request created, as the first request did.
                earlier -> runs.get(tenant, UUID.fromString(earlier.resource())).chain(run -> answer(tenant, run, waitSeconds)));
    }

    /**
     * The run without a wait (202: a just submitted run is queued; a retry shows it as it is now, with
     * the same status), or once settled within the wait (200), or as it is when the wait is over (202).
     * A run a budget refused answers the waiting client with a 429 problem, {@code budget-exceeded},
     * whose Location is the run (ADR 0032).
     */
    private Uni<Response> answer(TenantId tenant, Run submitted, int waitSeconds) {
        return (waitSeconds == 0 ? Uni.createFrom().item(submitted)
                : runs.await(tenant, submitted, Duration.ofSeconds(waitSeconds)))
                .chain(run -> waitSeconds > 0 && run.error() != null && run.error().budgetExceeded()
                        ? Uni.createFrom().item(Locations.at(Problems.response(429, Problems.BUDGET_EXCEEDED, "Budget exceeded",
                                run.error().message(), null), "/v1/runs/" + run.id()).build())
                        : actions.required(tenant, run).map(required -> Locations
                        .at(Response.status(waitSeconds > 0 && run.status().settled() ? 200 : 202), "/v1/runs/" + run.id())
                        .entity(ApiMapper.run(run, required)).build()));
    }

    @GET
    @Path("{id}/events")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.SESSION)
    public Uni<EventPageView> events(@PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("after") String afterSeq,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        long after = QueryNumbers.longInteger("after", afterSeq, 0);
        int most = QueryNumbers.integer("limit", limit, 100);
        return events.after(principal.tenant(), Ids.parse(id, "session"), after, most).map(list -> {
            List<EventView> items = list.stream().map(ApiMapper::event).toList();
            return new EventPageView(items, items.isEmpty() ? after : items.getLast().seq());
        });
    }

    /**
     * Server-sent events of the session's committed events, each with its sequence as the
     * event id; resumes after {@code Last-Event-ID} (or {@code after}) without gaps or duplicates.
     * Unless {@code deltas=false}, answers being generated are previewed as {@code assistant.delta}
     * events without an id (best effort, from whichever process runs the model call). An unknown
     * session, or another tenant's, is a 404 problem before the stream starts. A database outage of
     * up to 30 s is ridden out (the stream's reads are retried, and it continues after its last
     * event); a longer one, or another fault, ends the stream with a {@code stream.error} event and
     * an SSE retry hint, and the client resumes with Last-Event-ID.
     */
    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SessionChecked
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.SESSION)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("after") String after,
            @QueryParam("include") String include,
            @QueryParam("deltas") @DefaultValue("true") boolean deltas) {
        // Found (and the caller's) from the id by StreamSessionFilter before the response started:
        // the stream itself looks nothing up. (The id parameter stays for the API document.)
        Session session = streamed.get();
        long from = resumePoint(lastEventId, after);
        if (include != null && !"children".equals(include)) {
            throw ValidationException.field("include", "must be 'children'");
        }
        Multi<OutboundSseEvent> committed = include == null
                ? events.follow(session, from).map(this::sseEvent)
                // Children's events have no SSE id: Last-Event-ID stays a sequence of this session.
                : events.followWithChildren(session, from)
                        .map(team -> team.child()
                                ? sse.newEventBuilder().name(team.event().type())
                                        .data(toJson(ApiMapper.childEvent(team.sessionId(), team.event()))).build()
                                : sseEvent(team.event()));
        Multi<OutboundSseEvent> live = !deltas ? committed : Multi.createBy().merging().streams(committed,
                events.deltas(session).map(delta -> sse.newEventBuilder()
                        .name("assistant.delta")
                        .data(toJson(new DeltaView(delta.runId().toString(), delta.step(), delta.offset(), delta.text())))
                        .build()));
        // Comments keep idle connections open through proxies; clients ignore them.
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return streams.served(Multi.createBy().merging().streams(live, keepAlive), this::streamEnded);
    }

    /**
     * The last event of a stream that a fault ended (the database gone for longer than the stream
     * rides out, EventService.OUTAGE_TOLERANCE): a problem saying why, without an id (Last-Event-ID
     * stays the last event delivered), and an SSE {@code retry} telling EventSource clients when to
     * reconnect; they resume with Last-Event-ID.
     */
    private OutboundSseEvent streamEnded(Throwable failure) {
        int status = failure instanceof UnavailableException ? 503 : 500;
        Problems.Problem problem = Problems.problem(status, Problems.slug(status), Problems.title(status),
                "The stream ended; reconnect with Last-Event-ID to resume after the last event received", null, null);
        return sse.newEventBuilder().name(STREAM_ERROR).reconnectDelay(RECONNECT_AFTER.toMillis())
                .data(Problems.json(problem)).build();
    }

    private OutboundSseEvent sseEvent(Event event) {
        return sse.newEventBuilder()
                .id(Long.toString(event.seq()))
                .name(event.type())
                // Already JSON text: no per-event media type, which would add a non-standard SSE field.
                .data(toJson(ApiMapper.event(event)))
                .build();
    }

    private String toJson(Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }

    private static long resumePoint(String lastEventId, String after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            long parsed;
            try {
                parsed = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            if (parsed < 0) {
                throw ValidationException.field("Last-Event-ID", "must be an event sequence number");
            }
            return parsed;
        }
        long from = QueryNumbers.longInteger("after", after, 0);
        if (from < 0) {
            throw ValidationException.field("after", "must not be negative");
        }
        return from;
    }
}
