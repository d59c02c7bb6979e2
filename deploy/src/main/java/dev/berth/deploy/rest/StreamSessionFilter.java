package dev.berth.deploy.rest;

import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Looks up the session of a {@link SessionChecked} route once, before its response starts.
 * A method returning a {@code Multi} of server-sent events has its head (200,
 * {@code text/event-stream}) written as soon as it returns, whatever the stream does next
 * (RESTEasy Reactive does not defer the head even for {@code RestMulti.fromUniResponse}), so a
 * lookup inside the stream can only abort the connection. Here an unknown session, or another
 * tenant's, still fails the request with its 404 problem, and no lookup is left running when a
 * client hangs up on the stream.
 */
public class StreamSessionFilter {
    private final SessionService sessions;
    private final RequestPrincipal principal;
    private final StreamedSession streamed;

    @Inject
    public StreamSessionFilter(SessionService sessions, RequestPrincipal principal, StreamedSession streamed) {
        this.sessions = sessions;
        this.principal = principal;
        this.streamed = streamed;
    }

    /** After authentication (the tenant is known), before the resource method. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    @SessionChecked
    public Uni<Void> lookUp(UriInfo uri) {
        return Uni.createFrom()
                .deferred(() -> sessions.get(principal.tenant(), Ids.parse(uri.getPathParameters().getFirst("id"), "session")))
                .invoke(streamed::set)
                .replaceWithVoid();
    }
}
