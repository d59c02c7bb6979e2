package dev.berth.deploy.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.berth.runtime.error.AuthenticationException;
import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.error.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json} with a stable type. Client mistakes
 * are 4xx and logged at debug; server faults are 5xx, logged once with the stack, and say
 * nothing about internals.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response berth(BerthException e) {
        int status = switch (e) {
            case NotFoundException ignored -> 404;
            case ValidationException ignored -> 400;
            case ConflictException ignored -> 409;
            case AuthenticationException ignored -> 401;
            case ForbiddenException ignored -> 403;
            case UnavailableException ignored -> 503;
        };
        Map<String, String> errors = e instanceof ValidationException v ? v.fieldErrors() : null;
        if (status >= 500) {
            LOG.warnf("Returning %d: %s (%s)", status, e.getMessage(), e.getCause());
            return Problems.response(status, e.problemType(), "Service unavailable", e.getMessage(), null)
                    .header("Retry-After", "1").build();
        }
        LOG.debugf("Returning %d: %s", status, e.getMessage());
        return Problems.response(status, e.problemType(), title(status), e.getMessage(), errors).build();
    }

    // The JSON provider has mappers of its own for these subtypes; closer types win, so name them.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mismatch(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response instantiation(com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            return Problems.response(400, "malformed-json", "Malformed JSON",
                    "the request body is not valid JSON: " + e.getOriginalMessage(), null).build();
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String problem = e instanceof UnrecognizedPropertyException ? "is not a known field" : "has the wrong type or value";
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            problem = cause.getMessage();
        }
        String detail = field.isEmpty() ? "the request body does not have the expected shape" : field + ": " + problem;
        return Problems.response(400, "validation", "Invalid request", detail,
                field.isEmpty() ? null : Map.of(field, problem)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return json(json);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return Problems.response(status, "internal", title(status), "the server failed to handle the request", null)
                    .build();
        }
        return Problems.response(status, slug(status), title(status), e.getMessage(), null).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure handling a request", e);
        return Problems.response(500, "internal", "Internal server error", "the server failed to handle the request",
                null).build();
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
    }

    private static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
