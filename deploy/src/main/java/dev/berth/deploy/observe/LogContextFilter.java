package dev.berth.deploy.observe;

import dev.berth.runtime.observe.LogContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Puts the request's session or run id (from the path) in the MDC, for every log line of the
 * request; the tenant id is added by the API key filter once the key is known. Quarkus keeps
 * the MDC per request (in the request's Vert.x context), so nothing leaks to other requests.
 */
public class LogContextFilter {

    @ServerRequestFilter
    public void ids(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        MultivaluedMap<String, String> params = request.getUriInfo().getPathParameters();
        String id = params.getFirst("id");
        if (id == null) {
            return;
        }
        if (path.startsWith("/v1/sessions/")) {
            MDC.put(LogContext.SESSION_ID, id);
        } else if (path.startsWith("/v1/runs/")) {
            MDC.put(LogContext.RUN_ID, id);
        }
    }
}
