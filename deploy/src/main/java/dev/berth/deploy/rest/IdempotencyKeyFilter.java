package dev.berth.deploy.rest;

import dev.berth.runtime.error.ValidationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the {@code Idempotency-Key} header as it came, before any resource runs: a header sent
 * empty reaches a {@code @HeaderParam} as if it had not been sent, and a key sent twice as one of
 * the two. Either is refused (400) rather than taken as a request without a key.
 */
public class IdempotencyKeyFilter {

    @ServerRequestFilter(priority = Priorities.HEADER_DECORATOR)
    public void check(ContainerRequestContext request) {
        List<String> keys = request.getHeaders().get(IdempotencyKeyHeader.NAME);
        if (keys == null || keys.isEmpty()) {
            return;
        }
        if (keys.size() > 1) {
            throw ValidationException.field(IdempotencyKeyHeader.NAME, "must be sent once");
        }
        IdempotencyKeyHeader.parse(keys.getFirst() == null ? "" : keys.getFirst());
    }
}
