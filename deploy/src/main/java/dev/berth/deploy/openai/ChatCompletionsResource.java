package dev.berth.deploy.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.error.ProblemLog;
import dev.berth.deploy.error.Problems;
import dev.berth.deploy.observe.RequestIds;
import dev.berth.deploy.observe.TraceContexts;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.service.HistoryService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * OpenAI's Chat Completions over a Berth agent (ADR 0040): {@code model} names the agent, the client's
 * {@code messages} are the whole conversation. Each call opens a session (its actor as for Responses),
 * gives it the earlier messages as history, submits the last user message as the run's input, and the
 * agent's own tools run server-side. Stateless for the client, durable in Berth: the session stays,
 * visible on the native API. Without {@code stream} the answer is a {@code chat.completion} once the run
 * settles (at most {@link RunService#MAX_WAIT}); with it, {@code chat.completion.chunk} events
 * ({@link ChatCompletionStream}). One method serves both, so the body decides, not the Accept header: a
 * {@link RestMulti} whose status and Content-Type are chosen once the run is submitted, and every
 * refusal before that is an ordinary problem, which {@link OpenAiErrors} gives OpenAI's shape.
 */
@Path(ChatCompletionsResource.PATH)
@Consumes(MediaType.APPLICATION_JSON)
public class ChatCompletionsResource {
    static final String PATH = "/openai/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionService sessions;
    private final RunService runs;
    private final EventService events;
    private final ChatCompletionStream stream;
    private final HistoryService history;
    private final RequestPrincipal principal;

    @Inject
    public ChatCompletionsResource(SessionService sessions, RunService runs, EventService events,
            ChatCompletionStream stream, HistoryService history, RequestPrincipal principal) {
        this.sessions = sessions;
        this.runs = runs;
        this.events = events;
        this.stream = stream;
        this.history = history;
        this.principal = principal;
    }

    /** What the call answers once its run is submitted: a status, a media type and the body's parts. */
    private record Answer(int status, String mediaType, Multi<String> body) {
        static Answer json(int status, String text) {
            return new Answer(status, MediaType.APPLICATION_JSON, Multi.createFrom().item(text));
        }
    }

    @POST
    @Operation(hidden = true)
    @Allowed({Role.SERVICE, Role.ACTOR})
    public Multi<String> create(@HeaderParam("traceparent") String traceparent, JsonNode body) {
        ChatCompletionsRequest request = ChatCompletionsRequest.parse(body);
        TenantId tenant = principal.tenant();
        String requestId = RequestIds.current();
        Uni<Answer> answer = open(tenant, request)
                .chain(session -> history(tenant, session, request.history())
                        .chain(() -> runs.submit(tenant, session.id(), request.input(),
                                TraceContexts.current(traceparent), Optional.empty(), request.options()))
                        .chain(run -> request.stream()
                                ? Uni.createFrom().item(new Answer(200, MediaType.SERVER_SENT_EVENTS,
                                        stream.frames(session, run, request.includeUsage(), requestId)))
                                : completed(tenant, run, requestId)));
        return RestMulti.fromUniResponse(answer, Answer::body,
                settled -> Map.of(HttpHeaders.CONTENT_TYPE, List.of(settled.mediaType())), Answer::status);
    }

    /**
     * The body's {@code stream}, not the Accept header, chooses between JSON and server-sent events, as on
     * OpenAI: this route takes any Accept (the SDKs send {@code text/event-stream} or {@code application/json},
     * curl {@code *}{@code /*}), and the answer's Content-Type is set once the run is submitted. Without
     * this, RESTEasy's content negotiation refuses one of the two with a 406 before the body is read.
     */
    @ServerRequestFilter(preMatching = true)
    public void acceptAnything(ContainerRequestContext request) {
        if (HttpMethod.POST.equals(request.getMethod()) && PATH.equals(request.getUriInfo().getPath())) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.WILDCARD);
        }
    }

    /** A new session of the agent, for the actor Responses would give it. */
    private Uni<Session> open(TenantId tenant, ChatCompletionsRequest request) {
        return sessions.open(tenant, new SessionService.Opening(request.agent().name(), request.agent().version(),
                ResponsesResource.actor(principal, request.user()), null, Map.of(), null, principal.get().subject()),
                Optional.empty());
    }

    /** The earlier messages as the session's history, before the input (ADR 0039's items without a run). */
    private Uni<Void> history(TenantId tenant, Session session, List<ChatCompletionsRequest.Message> history) {
        if (history.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<HistoryService.Item> items = history.stream()
                .<HistoryService.Item>map(message -> "assistant".equals(message.role())
                        ? new HistoryService.Item.AssistantMessage(message.text())
                        : new HistoryService.Item.UserMessage(message.text()))
                .toList();
        return this.history.append(tenant, session.id(), items).replaceWithVoid();
    }

    /** The completion of the settled run, or OpenAI's error object for a run that gave none. */
    private Uni<Answer> completed(TenantId tenant, Run submitted, String requestId) {
        return runs.await(tenant, submitted, RunService.MAX_WAIT).chain(run -> {
            Optional<Problems.Problem> problem = ChatCompletionViews.unanswered(run, requestId);
            if (problem.isPresent()) {
                ProblemLog.answered(problem.get(), null);
                return Uni.createFrom().item(Answer.json(problem.get().status(), OpenAiErrors.json(problem.get())));
            }
            return events.after(tenant, run.sessionId(), run.inputSeq() - 1, EventService.MAX_PAGE)
                    .map(found -> Answer.json(200, text(ChatCompletionViews.completion(run, found))));
        });
    }

    private static String text(JsonNode view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a completion could not be written as JSON", e);
        }
    }
}
