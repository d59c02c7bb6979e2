package dev.berth.deploy.error;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.berth.deploy.quota.QuotaProblem;
import dev.berth.runtime.error.AuthenticationException;
import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.InProgressException;
import dev.berth.runtime.error.KeyReusedException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.QuotaExceededException;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.error.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json} with a stable type. Client mistakes
 * are 4xx (logged once, at debug, by {@link ProblemLogFilter}); server faults are 5xx, logged
 * here with the stack within {@link ProblemLog}'s rate limit, and say nothing about internals.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response berth(BerthException e) {
        int status = switch (e) {
            case NotFoundException ignored -> 404;
            case ValidationException ignored -> 400;
            case ConflictException ignored -> 409;
            case AuthenticationException ignored -> 401;
            case ForbiddenException ignored -> 403;
            case UnavailableException ignored -> 503;
            case KeyReusedException ignored -> 422;
            case InProgressException ignored -> 409;
            case QuotaExceededException ignored -> 409;
        };
        if (e instanceof QuotaExceededException quota) {
            return QuotaProblem.response(quota); // with the quota, its limit and the use as members
        }
        Map<String, String> errors = e instanceof ValidationException v ? v.fieldErrors() : null;
        if (status >= 500) {
            return serverError(Problems.response(status, e.problemType(), "Service unavailable", e.getMessage(), null)
                    .header("Retry-After", "1"), e);
        }
        Response.ResponseBuilder answer = Problems.response(status, e.problemType(), Problems.title(status), e.getMessage(),
                errors);
        if (e instanceof InProgressException inProgress) {
            answer.header("Retry-After", Long.toString(Math.max(1, inProgress.retryAfter().toSeconds())));
        }
        return answer.build();
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
                    "the request body is not valid JSON" + where(e) + ": " + e.getOriginalMessage(), null).build();
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
            return serverError(Problems.response(status, "internal", Problems.title(status),
                    "the server failed to handle the request", null), e);
        }
        return Problems.response(status, Problems.slug(status), Problems.title(status), e.getMessage(), null).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return serverError(Problems.response(500, "internal", "Internal server error",
                "the server failed to handle the request", null), e);
    }

    private static Response serverError(Response.ResponseBuilder answer, Throwable cause) {
        Response response = answer.build();
        ProblemLog.serverError((Problems.Problem) response.getEntity(), cause);
        return response;
    }

    // Where in the body the parser gave up, so the client can find its mistake.
    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
