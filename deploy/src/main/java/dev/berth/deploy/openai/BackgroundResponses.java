package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How a submitted response is answered and managed after (ADR 0038): at once ({@code background}), once
 * settled (at most {@link RunService#MAX_WAIT}), or streamed; cancelled; deleted; and, for
 * {@code store: false}, its session deleted once it settles. Each decision is made from the run alone,
 * so any process answers for any response.
 */
@ApplicationScoped
public class BackgroundResponses {
    private static final Logger LOG = Logger.getLogger(BackgroundResponses.class);
    /** How long a cancel waits for the run to stop before answering with the response as it is. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final RunService runs;
    private final EventService events;
    private final SessionService sessions;
    private final ResponseStream stream;

    @Inject
    public BackgroundResponses(RunService runs, EventService events, SessionService sessions, ResponseStream stream) {
        this.runs = runs;
        this.events = events;
        this.sessions = sessions;
        this.stream = stream;
    }

    /** How a delivery is asked for: the request's {@code stream}, {@code background} and {@code store}. */
    public record Delivery(boolean stream, boolean background, boolean store, String previous) {
    }

    /** The answer to {@code POST /responses} for a run just submitted. */
    public Uni<Response> answer(TenantId tenant, Run submitted, Delivery delivery) {
        if (delivery.stream()) {
            return Uni.createFrom().item(stream.response(tenant, submitted, -1, delivery.store() ? ResponseStream.Hooks.NONE
                    : new ResponseStream.Hooks(settled -> forget(tenant, settled), () -> watch(tenant, submitted.id()))));
        }
        Uni<Run> run = delivery.background() ? Uni.createFrom().item(submitted) : runs.await(tenant, submitted, RunService.MAX_WAIT);
        return run.chain(current -> view(tenant, current, delivery.previous())
                .call(() -> delivery.store() ? Uni.createFrom().voidItem() : forgetWhenSettled(tenant, current)))
                .map(BackgroundResponses::json);
    }

    /**
     * The response read back as a stream, from the event after {@code startingAfter} (read as JSON, a
     * response is the segment its id names: {@code ResponsesResource}, ADR 0037).
     */
    public Response replay(TenantId tenant, Run run, long startingAfter) {
        return stream.response(tenant, run, startingAfter, ResponseStream.Hooks.NONE);
    }

    /**
     * Cancels a response still in progress (queued, running, waiting for sub-agents, or paused for a
     * client), whether or not it was created in the background: Berth does not keep how a run was asked
     * for, and a foreground response still going after its wait is no different. A cancelled one is
     * answered as it is; a finished one is refused (400).
     */
    public Uni<ObjectNode> cancel(TenantId tenant, Run run) {
        if (run.status() == RunStatus.CANCELLED) {
            return view(tenant, run, null);
        }
        if (run.status().terminal()) {
            throw ValidationException.field("response_id", "only a response in progress can be cancelled; this one is "
                    + ResponseViews.status(run));
        }
        return runs.cancel(tenant, run.id())
                .chain(() -> runs.await(tenant, run.id(), CANCEL_WAIT))
                .chain(current -> view(tenant, current, null));
    }

    /**
     * Deletes a response by deleting its conversation (session), with all its events, when the response
     * is settled and is the conversation's only one. Berth's log is append-only: a response among others
     * cannot be taken out of a conversation's history, so that is refused (400), as is a response still
     * in progress (cancel it first).
     */
    public Uni<ObjectNode> delete(TenantId tenant, Run run) {
        String id = OpenAiIds.response(run.id());
        if (!run.status().terminal()) {
            throw ValidationException.field("response_id", "the response is " + ResponseViews.status(run)
                    + ": cancel it, or wait for it to end, before deleting it");
        }
        return otherRun(tenant, run, 0).chain(other -> {
            if (other) {
                throw ValidationException.field("response_id", "the response is one of several in its conversation "
                        + OpenAiIds.conversation(run.sessionId()) + ", whose history is append-only: delete the conversation instead");
            }
            return sessions.delete(tenant, run.sessionId());
        }).map(deleted -> JsonNodeFactory.instance.objectNode().put("id", id).put("object", "response").put("deleted", true));
    }

    /** The response built from the run's events (one page from its input on, as ADR 0035's view). */
    public Uni<ObjectNode> view(TenantId tenant, Run run, String previous) {
        return events.after(tenant, run.sessionId(), run.inputSeq() - 1, EventService.MAX_PAGE)
                .map(found -> ResponseViews.response(run, found, previous));
    }

    /** Whether the session has an event of a run other than this one (read a page at a time until found). */
    private Uni<Boolean> otherRun(TenantId tenant, Run run, long after) {
        return events.after(tenant, run.sessionId(), after, EventService.MAX_PAGE).chain(page -> {
            for (Event event : page) {
                if (event.runId() != null && !run.id().equals(event.runId())) {
                    return Uni.createFrom().item(true);
                }
            }
            return page.size() < EventService.MAX_PAGE ? Uni.createFrom().item(false)
                    : otherRun(tenant, run, page.getLast().seq());
        });
    }

    /**
     * {@code store: false}: the session goes once the run is settled. A run settled now is forgotten before
     * the answer is sent; one still going is watched by this process (waits of {@link RunService#MAX_WAIT}
     * until it settles), so a restart of this process before then leaves the session in place.
     */
    private Uni<Void> forgetWhenSettled(TenantId tenant, Run run) {
        if (run.status().settled()) {
            return forget(tenant, run);
        }
        watch(tenant, run.id());
        return Uni.createFrom().voidItem();
    }

    private void watch(TenantId tenant, UUID runId) {
        runs.await(tenant, runId, RunService.MAX_WAIT).subscribe().with(
                run -> {
                    if (run.status().settled()) {
                        forget(tenant, run).subscribe().with(done -> { }, failure -> LOG.warnf(
                                "The session of store:false response %s was not deleted: %s", OpenAiIds.response(runId), failure));
                    } else {
                        watch(tenant, runId);
                    }
                },
                failure -> LOG.debugf("Stopped watching store:false response %s: %s", OpenAiIds.response(runId), failure));
    }

    private Uni<Void> forget(TenantId tenant, Run run) {
        return sessions.delete(tenant, run.sessionId())
                .onFailure(NotFoundException.class).recoverWithNull();
    }

    private static Response json(ObjectNode response) {
        return Response.ok(response).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The input items of the run (see {@link ResponseInputItemsPage}), one page of events from its input on. */
    public Uni<List<Event>> runEvents(TenantId tenant, Run run) {
        return events.after(tenant, run.sessionId(), run.inputSeq() - 1, EventService.MAX_PAGE);
    }
}
