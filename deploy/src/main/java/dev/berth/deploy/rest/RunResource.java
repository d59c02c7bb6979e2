package dev.berth.deploy.rest;

import dev.berth.deploy.api.ActionsRequest;
import dev.berth.deploy.api.ApiMapper;
import dev.berth.deploy.api.RunTreeView;
import dev.berth.deploy.api.RunView;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.run.paused.PausedRunService;
import dev.berth.runtime.run.team.TeamService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

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

    @Inject
    public RunResource(RunService runs, PausedRunService actions, TeamService teams, RequestPrincipal principal) {
        this.runs = runs;
        this.actions = actions;
        this.teams = teams;
        this.principal = principal;
    }

    /** The run and the runs its sub-agent calls started, recursively, with usage rolled up. */
    @GET
    @Path("{id}/tree")
    public Uni<RunTreeView> tree(@PathParam("id") String id) {
        return teams.tree(principal.tenant(), Ids.parse(id, "run")).map(ApiMapper::tree);
    }

    /** The run; with {@code wait} (seconds, at most 60), once it has settled or the wait is over. */
    @GET
    @Path("{id}")
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
     * All answers apply or none; once nothing is left unanswered, the run is queued again.
     */
    @POST
    @Path("{id}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RunView> answer(@PathParam("id") String id, ActionsRequest request) {
        UUID runId = Ids.parse(id, "run");
        return actions.answer(principal.tenant(), runId, ApiMapper.toAnswers(request)).chain(this::view);
    }

    private Uni<RunView> view(Run run) {
        return actions.required(principal.tenant(), run).map(required -> ApiMapper.run(run, required));
    }

    /** Cancels a queued or paused run at once, a running one at its next step boundary. */
    @POST
    @Path("{id}/cancel")
    public Uni<RunView> cancel(@PathParam("id") String id) {
        return runs.cancel(principal.tenant(), Ids.parse(id, "run")).map(ApiMapper::run);
    }
}
