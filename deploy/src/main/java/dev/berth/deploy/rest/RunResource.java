package dev.berth.deploy.rest;

import dev.berth.deploy.audit.AuditRecorder;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.ActorOwned;
import dev.berth.runtime.domain.Role;
import dev.berth.deploy.api.ActionsRequest;
import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.RunTreeView;
import dev.berth.deploy.api.RunView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.run.paused.PausedRunService;
import dev.berth.runtime.run.team.TeamService;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.LiveRunOrder;
import dev.berth.runtime.run.LiveRunQuery;
import dev.berth.runtime.run.LiveRunService;
import dev.berth.runtime.run.SessionKillService;
import dev.berth.deploy.api.LiveRunView;
import dev.berth.deploy.api.PageView;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Runs: read (optionally waiting until settled), cancel, and answer what a paused run waits
 * for, from any process.
 */
@Path("/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private final RunService runs;
    private final PausedRunService actions;
    private final TeamService teams;
    private final RequestPrincipal principal;
    private final IdempotentRequests idempotent;
    private final AuditRecorder audit;

    private final SessionKillService kills;
    private final LiveRunService live;

    @Inject
    public RunResource(RunService runs, PausedRunService actions, TeamService teams, RequestPrincipal principal,
            IdempotentRequests idempotent, AuditRecorder audit, SessionKillService kills, LiveRunService live) {
        this.audit = audit;
        this.idempotent = idempotent;
        this.kills = kills;
        this.live = live;
        this.runs = runs;
        this.actions = actions;
        this.teams = teams;
        this.principal = principal;
    }

    /** The run and the runs its sub-agent calls started, recursively, with usage rolled up. */
    @GET
    @Path("{id}/tree")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.RUN)
    public Uni<RunTreeView> tree(@PathParam("id") String id) {
        return teams.tree(principal.tenant(), Ids.parse(id, "run")).map(ApiMapper::tree);
    }

    /** The run; with {@code wait} (seconds, at most 60), once it has settled or the wait is over. */
    @GET
    @Path("{id}")
    @Allowed({Role.DEVELOPER, Role.OPERATOR, Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.RUN)
    public Uni<RunView> get(@PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("wait") String wait) {
        UUID runId = Ids.parse(id, "run");
        int waitSeconds = QueryNumbers.integer("wait", wait, 0);
        InputLimits.count("wait", waitSeconds, 0, InputLimits.MAX_WAIT_SECONDS);
        return (waitSeconds == 0 ? runs.get(principal.tenant(), runId)
                : runs.await(principal.tenant(), runId, Duration.ofSeconds(waitSeconds))).chain(this::view);
    }

    /**
     * Answers calls a paused run waits for: client-side tool outputs and approval decisions.
     * All answers apply or none; once nothing is left unanswered, the run is queued again. With an
     * {@code Idempotency-Key}, a retry of the same answers gets the run again, not a conflict.
     */
    @POST
    @Path("{id}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "the run after the answers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @Allowed({Role.SERVICE, Role.ACTOR})
    @ActorOwned(ActorOwned.Kind.RUN)
    public Uni<Response> answer(@PathParam("id") String id,
            @Parameter(description = IdempotencyKeyHeader.DOC) @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey,
            ActionsRequest request) {
        UUID runId = Ids.parse(id, "run");
        TenantId tenant = principal.tenant();
        return idempotent.handle(new IdempotentRequests.Request(tenant, idempotencyKey, "POST",
                        "/v1/runs/" + runId + "/actions", request),
                key -> actions.answer(tenant, runId, ApiMapper.toAnswers(request), key, principal.get().subject())
                        .call(run -> audit.recordAnswers(runId, ApiMapper.toAnswers(request)))
                        .onFailure().recoverWithUni(failure -> kills.explainRefusedAnswer(tenant, runId, failure)
                                .chain(explained -> Uni.createFrom().<Run>failure(explained)))
                        .chain(this::answered),
                earlier -> runs.get(tenant, runId).chain(this::answered));
    }

    private Uni<Response> answered(Run run) {
        return view(run).map(view -> Response.ok(view).build());
    }

    private Uni<RunView> view(Run run) {
        return actions.required(principal.tenant(), run).map(required -> ApiMapper.run(run, required));
    }

    /** Cancels a queued or paused run at once, a running one at its next step boundary. */
    @POST
    @Path("{id}/cancel")
    @Allowed({Role.OPERATOR})
    public Uni<RunView> cancel(@PathParam("id") String id) {
        return runs.cancel(principal.tenant(), Ids.parse(id, "run"))
                // A run that had already ended is answered as it is: nothing was done, nothing is recorded.
                .call(run -> run.status().terminal() && run.status() != RunStatus.CANCELLED ? Uni.createFrom().voidItem()
                        : audit.record(AuditAction.RUN_CANCEL, new AuditTarget("run", run.id().toString()), null))
                .map(ApiMapper::run);
    }

    /**
     * The tenant's live runs, oldest first ({@code orderBy=age}) or costliest first
     * ({@code orderBy=cost}: input and output tokens so far), paged: {@code status} (comma
     * separated; default every live status), {@code olderThan} (an ISO-8601 duration such as
     * {@code PT5M}), {@code limit} (at most 100) and {@code cursor}.
     */
    @GET
    @Allowed({Role.OPERATOR, Role.DEVELOPER})
    public Uni<PageView<LiveRunView>> live(@QueryParam("status") String status, @QueryParam("olderThan") String olderThan,
            @QueryParam("orderBy") String orderBy, @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        LiveRunQuery query = new LiveRunQuery(LiveRunQuery.statuses(status), LiveRunQuery.olderThan(olderThan),
                LiveRunOrder.fromWire(orderBy), QueryNumbers.integer("limit", limit, 20), cursor);
        return live.list(principal.tenant(), query)
                .map(page -> new PageView<>(page.items().stream().map(LiveRunView::of).toList(), page.nextCursor()));
    }
}
