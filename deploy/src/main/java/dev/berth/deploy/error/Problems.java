package dev.berth.deploy.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.observe.RequestIds;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * RFC 9457 problem details with stable type URIs: {@code https://berth.dev/problems/<slug>}. The
 * one renderer of every error Berth answers, whether a resource, a JAX-RS filter or mapper, the
 * Vert.x router or the HTTP decoder raised it. Each problem carries the request id
 * ({@code requestId}, also the {@code X-Request-Id} header).
 */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://berth.dev/problems/";
    /** A run refused its next model call by a budget: answered to a client waiting on it (429, ADR 0032). */
    public static final String BUDGET_EXCEEDED = "budget-exceeded";
    // For problems written below JAX-RS (straight to Vert.x), where no message body writer runs.
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** The body of a problem response. {@code errors} maps a field path to what is wrong with it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, Map<String, String> errors,
            String requestId) {

        /** The last segment of the type URI, e.g. {@code not-found}. */
        public String slug() {
            return type.substring(TYPE_BASE.length());
        }
    }

    public static Response.ResponseBuilder response(Response.StatusType status, String slug, String title,
            String detail) {
        return response(status.getStatusCode(), slug, title, detail, null);
    }

    public static Response.ResponseBuilder response(int status, String slug, String title, String detail,
            Map<String, String> errors) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(problem(status, slug, title, detail, errors, RequestIds.current()));
    }

    public static Problem problem(int status, String slug, String title, String detail, Map<String, String> errors,
            String requestId) {
        return new Problem(TYPE_BASE + slug, title, status, detail, errors == null || errors.isEmpty() ? null : errors,
                requestId);
    }

    /** The problem as JSON text, for answers written straight to the HTTP layer. */
    public static String json(Problem problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem could not be written as JSON", e);
        }
    }

    /** The problem type of an HTTP status with no more specific one. */
    public static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 431 -> "headers-too-large";
            case 500 -> "internal";
            case 503 -> "unavailable";
            default -> "http-" + status;
        };
    }

    /** The standard reason phrase of an HTTP status, as a problem title. */
    public static String title(int status) {
        return switch (status) {
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known == null ? "HTTP " + status : known.getReasonPhrase();
            }
        };
    }
}
