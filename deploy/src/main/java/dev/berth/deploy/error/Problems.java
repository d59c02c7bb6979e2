package dev.berth.deploy.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** RFC 9457 problem details with stable type URIs: {@code https://berth.dev/problems/<slug>}. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://berth.dev/problems/";

    private Problems() {
    }

    /** The body of a problem response. {@code errors} maps a field path to what is wrong with it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, Map<String, String> errors) {
    }

    public static Response.ResponseBuilder response(Response.StatusType status, String slug, String title,
            String detail) {
        return response(status.getStatusCode(), slug, title, detail, null);
    }

    public static Response.ResponseBuilder response(int status, String slug, String title, String detail,
            Map<String, String> errors) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem(TYPE_BASE + slug, title, status, detail,
                        errors == null || errors.isEmpty() ? null : errors));
    }
}
