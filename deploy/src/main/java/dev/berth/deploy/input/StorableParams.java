package dev.berth.deploy.input;

import dev.berth.runtime.input.StorableText;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path parameters, query parameters and headers (decoded) that hold text PostgreSQL cannot store
 * are a 400 naming the parameter, before anything looks them up: an actor id or a memory
 * namespace with a NUL in it would otherwise fail in the database. Runs after the route matched
 * (path parameters are known) and before authentication, for every route.
 */
public class StorableParams {

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION - 100)
    public void check(ContainerRequestContext request) {
        checkAll("", request.getUriInfo().getPathParameters());
        checkAll("", request.getUriInfo().getQueryParameters());
        checkAll("header ", request.getHeaders());
    }

    private static void checkAll(String prefix, MultivaluedMap<String, String> values) {
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            StorableText.check(prefix + printable(entry.getKey()), entry.getKey());
            for (String value : entry.getValue()) {
                StorableText.check(prefix + entry.getKey(), value);
            }
        }
    }

    private static String printable(String name) {
        return StorableText.problem(name) == null ? name : "parameter name";
    }
}
