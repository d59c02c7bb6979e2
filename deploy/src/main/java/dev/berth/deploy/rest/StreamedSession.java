package dev.berth.deploy.rest;

import dev.berth.runtime.domain.Session;
import jakarta.enterprise.context.RequestScoped;

/**
 * The session of a streaming request, found by {@link StreamSessionFilter} before the resource
 * method runs. Request-scoped: set once per request, read by the method that streams.
 */
@RequestScoped
public class StreamedSession {
    private Session session;

    void set(Session session) {
        this.session = session;
    }

    /** The caller's session; only on routes marked {@link SessionChecked}. */
    Session get() {
        if (session == null) {
            throw new IllegalStateException("the route is not marked @SessionChecked");
        }
        return session;
    }
}
