package dev.berth.deploy.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.error.Problems;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The one place where errors on {@code /openai/v1} take OpenAI's shape: every problem Berth answers
 * there, whoever produced it (ApiKeyFilter's 401, RoleFilter's 403, RateLimitFilter's 429, a mapped
 * exception, a resource's validation), is rewritten to {@code {"error":{"message","type","param","code"}}}
 * with the same status and headers, so that OpenAI's SDKs raise their usual exceptions. Problems are
 * still produced (and logged by ProblemLogFilter, which runs before this) by the one renderer,
 * {@link Problems}; only their rendering on this surface differs. Errors written below JAX-RS (the
 * HTTP decoder's, the router's, the body limit's: HttpLayerProblems) ask {@link #covers} and
 * {@link #json} for the same shape (ADR 0040).
 */
public class OpenAiErrors {
    static final String PATH = "/openai/";
    /** The media type of OpenAI's error bodies. */
    public static final String MEDIA_TYPE = MediaType.APPLICATION_JSON;
    // For errors written below JAX-RS, where no message body writer runs.
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A lower priority than ProblemLogFilter's (USER): response filters run in descending order, so this runs after it. */
    @ServerResponseFilter(priority = Priorities.HEADER_DECORATOR)
    public void rewrite(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problems.Problem problem
                && covers(request.getUriInfo().getPath())) {
            response.setEntity(Map.of("error", error(problem)), new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** Whether an answer to a request for this path (as sent, before decoding) takes OpenAI's shape. */
    public static boolean covers(String path) {
        return path != null && path.startsWith(PATH);
    }

    /** The whole body of OpenAI's error answer for a problem, as JSON text, for answers written straight to Vert.x. */
    public static String json(Problems.Problem problem) {
        try {
            return JSON.writeValueAsString(Map.of("error", error(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error object could not be written as JSON", e);
        }
    }

    /** OpenAI's error object for a problem; {@code param} is the first field the problem names. */
    static Map<String, Object> error(Problems.Problem problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.detail() == null ? problem.title() : problem.detail());
        error.put("type", type(problem.status()));
        error.put("param", problem.errors() == null ? null : problem.errors().keySet().iterator().next());
        error.put("code", problem.slug().replace('-', '_'));
        return error;
    }

    /** The error types OpenAI's API and SDKs use, by status. */
    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
