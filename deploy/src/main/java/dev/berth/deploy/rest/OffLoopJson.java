package dev.berth.deploy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.input.StorableBodies;
import dev.berth.runtime.cpu.CpuWork;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.function.Function;

/**
 * Request and response bodies that may be large (an agent with client-tool schemas: up to the
 * 1 MiB body limit in, several megabytes out for a list), read and written on the
 * {@link CpuWork} pool instead of the event loop that received the request. REST endpoints
 * otherwise bind JSON on the event loop, where a megabyte of schemas takes tens of
 * milliseconds from every other request on that loop (issue 14).
 *
 * <p>Uses the application's {@link ObjectMapper}, so its settings (unknown fields refused, strict
 * JSON) and the JSON error problems are the same as for bodies bound by the framework, and checks
 * the bound body with {@link StorableBodies#check} like the framework's readers do.
 */
@ApplicationScoped
public class OffLoopJson {
    private final ObjectMapper mapper;
    private final CpuWork cpu;

    @Inject
    public OffLoopJson(ObjectMapper mapper, CpuWork cpu) {
        this.mapper = mapper;
        this.cpu = cpu;
    }

    /**
     * The body read as {@code type} (null for an empty body, as the framework gives it) and
     * turned into what the caller needs by {@code then}, both on the pool when the body is large.
     */
    public <T, R> Uni<R> read(TenantId tenant, byte[] body, Class<T> type, Function<T, R> then) {
        return cpu.run(tenant, body.length, () -> {
            T parsed = parse(body, type);
            StorableBodies.check(mapper, parsed);
            return then.apply(parsed);
        });
    }

    /**
     * A JSON response with the given status; serialised on the pool when {@code large}.
     *
     * @param large whether the entity may be large (holds client-tool schemas, say); its size is not known before writing
     */
    public Uni<Response> write(TenantId tenant, Response.ResponseBuilder response, Object entity, boolean large) {
        return cpu.run(tenant, large ? Long.MAX_VALUE : 0, () -> {
            try {
                return response.entity(mapper.writeValueAsBytes(entity)).type(MediaType.APPLICATION_JSON_TYPE).build();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a response could not be written as JSON", e);
            }
        });
    }

    private <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            return null;
        }
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            // ProblemMappers turns the JSON failure inside into the same 400 problem as a bound body's
            throw new WebApplicationException(e, Response.Status.BAD_REQUEST);
        } catch (IOException e) {
            throw new WebApplicationException(e, Response.Status.BAD_REQUEST);
        }
    }
}
