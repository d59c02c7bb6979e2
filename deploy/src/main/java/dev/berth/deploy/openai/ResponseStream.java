package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.service.EventService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * A response delivered as OpenAI's server-sent events (ADR 0038), from whichever process the client
 * reaches: the run is read, then its committed events, in short queries, and the stream sleeps on the
 * change feed in between (no pooled connection is held while it waits). It ends with the response's
 * terminal event once the run is settled and every event committed before that was sent.
 *
 * <p>The HTTP answer is an ordinary {@link Response} built after every lookup, so an unknown or foreign
 * response, or a refused request, is still its 4xx error object; only then does {@link Writer} write
 * the head and the events. (A {@code Multi} resource method would write the head first: ADR 0012.)
 */
@ApplicationScoped
public class ResponseStream {
    private static final Logger LOG = Logger.getLogger(ResponseStream.class);
    /** How long a stream sleeps at most between two reads when nothing is notified. */
    static final Duration WAIT_BOUND = Duration.ofSeconds(10);
    /** Marks the end of a stream's frames (never written). */
    private static final String END = new String("end");
    private static final String KEEP_ALIVE = ": keep-alive\n\n";

    private final EventService events;
    private final RunService runs;
    private final ChangeFeed feed;

    @Inject
    public ResponseStream(EventService events, RunService runs, ChangeFeed feed) {
        this.events = events;
        this.runs = runs;
        this.feed = feed;
    }

    /** The body of a streamed answer: SSE frames, each {@code event:} and {@code data:} and a blank line. */
    public record Body(Multi<String> frames) {
    }

    /**
     * What a stream's creator does when it ends: {@code settled} runs once the last event is computed (before
     * it is sent), with the settled run; {@code left} when the client leaves before that.
     */
    public record Hooks(Function<Run, Uni<Void>> settled, Runnable left) {
        static final Hooks NONE = new Hooks(run -> Uni.createFrom().voidItem(), () -> { });
    }

    /**
     * 200 with the stream of the run's response, from the event numbered {@code startingAfter + 1}
     * ({@code -1}: from the start).
     */
    public Response response(TenantId tenant, Run run, long startingAfter, Hooks hooks) {
        return Response.ok(new Body(frames(tenant, run, startingAfter, hooks)))
                .type(MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("Cache-Control", "no-cache")
                .build();
    }

    Multi<String> frames(TenantId tenant, Run run, long startingAfter, Hooks hooks) {
        Replay replay = new Replay(tenant, run, startingAfter, hooks.settled());
        return Multi.createBy().repeating().uni(replay::step).indefinitely()
                .onItem().transformToIterable(frames -> frames)
                .select().first(frame -> frame != END)
                .onCancellation().invoke(() -> {
                    if (!replay.done) {
                        hooks.left().run();
                    }
                });
    }

    /** One stream's position: the last event read, the numbering so far, and whether it is over. */
    private final class Replay {
        private final TenantId tenant;
        private final Run run;
        private final long startingAfter;
        private final Function<Run, Uni<Void>> whenSettled;
        private final ResponseStreamEvents mapper;
        private long cursor;
        private boolean caughtUp;
        private boolean started;
        private boolean done;

        Replay(TenantId tenant, Run run, long startingAfter, Function<Run, Uni<Void>> whenSettled) {
            this.tenant = tenant;
            this.run = run;
            this.startingAfter = startingAfter;
            this.whenSettled = whenSettled;
            this.mapper = new ResponseStreamEvents(run);
            this.cursor = Math.max(0, run.inputSeq() - 1);
        }

        /**
         * The frames of one read: the run's status is read before its events, so when it is settled every
         * event it committed is in this read or an earlier one, and the terminal event comes after them.
         */
        Uni<List<String>> step() {
            if (done) {
                return Uni.createFrom().item(List.of(END));
            }
            Uni<Void> wait = caughtUp
                    ? Uni.combine().any().of(feed.awaitSessionEvents(run.sessionId(), cursor, WAIT_BOUND),
                            feed.awaitRunChange(run.id(), WAIT_BOUND)).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return wait.chain(() -> runs.get(tenant, run.id()))
                    .chain(current -> events.after(tenant, run.sessionId(), cursor, EventService.MAX_PAGE)
                            .chain(page -> frames(current, page)))
                    .onFailure().recoverWithItem(this::failed);
        }

        private Uni<List<String>> frames(Run current, List<Event> page) {
            List<String> out = new ArrayList<>();
            if (!started) {
                started = true;
                emit(out, mapper.start());
            }
            for (Event event : page) {
                emit(out, mapper.event(event));
                cursor = event.seq();
            }
            caughtUp = page.size() < EventService.MAX_PAGE;
            if (!caughtUp || !current.status().settled()) {
                return Uni.createFrom().item(out.isEmpty() ? List.of(KEEP_ALIVE) : out);
            }
            done = true;
            emit(out, mapper.end(current));
            out.add(END);
            return whenSettled.apply(current).replaceWith(out);
        }

        private List<String> failed(Throwable failure) {
            done = true;
            LOG.warnf("The stream of response %s ended: %s", OpenAiIds.response(run.id()), failure.toString());
            return List.of(frame(mapper.error("server_error",
                    "The stream ended; resume it with GET /responses/{id}?stream=true&starting_after=<last sequence_number>")), END);
        }

        /** Skips what the client already has: events numbered up to {@code starting_after}. */
        private void emit(List<String> out, List<ObjectNode> numbered) {
            for (ObjectNode event : numbered) {
                if (event.path("sequence_number").asLong() > startingAfter) {
                    out.add(frame(event));
                }
            }
        }
    }

    private static String frame(ObjectNode event) {
        return "event: " + event.path("type").asText() + "\ndata: " + event + "\n\n";
    }

    /**
     * Writes a {@link Body} as it comes, on the open connection, and ends the response after its last
     * frame; a client that hangs up cancels the stream (and its next read or wait).
     */
    @Provider
    public static final class Writer implements ServerMessageBodyWriter<Body> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
            return Body.class.isAssignableFrom(type);
        }

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return Body.class.isAssignableFrom(type);
        }

        @Override
        public void writeResponse(Body body, Type genericType, ServerRequestContext context) {
            ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
            request.suspend();
            ServerHttpResponse response = context.serverResponse();
            response.setChunked(true);
            Cancellable subscription = body.frames().subscribe().with(
                    frame -> response.write(frame.getBytes(StandardCharsets.UTF_8)),
                    failure -> {
                        // The frames recover from every failure of a read; this is a bug, not an outage.
                        LOG.error("A response stream failed", failure);
                        response.end();
                        request.resume();
                    },
                    () -> {
                        response.end();
                        request.resume();
                    });
            response.addCloseHandler(subscription::cancel);
        }

        @Override
        public void writeTo(Body body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                jakarta.ws.rs.core.MultivaluedMap<String, Object> headers, java.io.OutputStream entityStream) {
            throw new UnsupportedOperationException("a response stream is written by writeResponse");
        }
    }
}
