package dev.berth.deploy.error;

import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Logs every client-error problem the JAX-RS layer answers, once, whoever produced it: an
 * exception mapper, or a filter that refused the request (a missing key, a body over the limit).
 * Server errors are logged where their cause is known, by the mappers.
 */
public class ProblemLogFilter {

    @ServerResponseFilter
    public void log(ContainerResponseContext response) {
        if (response.getEntity() instanceof Problems.Problem problem && problem.status() < 500) {
            ProblemLog.clientError(problem);
        }
    }
}
