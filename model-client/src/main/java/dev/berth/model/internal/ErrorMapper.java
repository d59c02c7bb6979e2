package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ModelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps a provider's error answer to a typed {@link ModelException}. Provider messages are kept
 * (they help operators) except on authentication failures, where some providers echo part of
 * the key.
 */
public final class ErrorMapper {
    private static final int MAX_MESSAGE = 500;

    private ErrorMapper() {
    }

    /**
     * @param header reads a response header (case-insensitive), null when absent
     */
    public static ModelException map(int status, String body, Function<String, String> header, String deploymentId) {
        JsonNode error = errorNode(body);
        String code = ModelJson.str(error, "code");
        String message = ModelJson.str(error, "message");
        String where = " (deployment " + deploymentId + ", HTTP " + status + (code == null ? "" : ", " + code) + ")";
        String text = clip(message == null ? "no error message" : message) + where;
        if (status == 401 || status == 403) {
            return new ModelException.Authentication("the model endpoint refused the credentials" + where, status);
        }
        if (status == 429) {
            return new ModelException.Throttled(text, retryAfter(header));
        }
        if (status == 408 || status == 409 || status >= 500 || status == 0) {
            return new ModelException.Unavailable(text, status, null, retryAfter(header));
        }
        if (isContentFilter(error, code)) {
            return new ModelException.ContentFiltered(text, status, filteredCategories(error));
        }
        if ("context_length_exceeded".equals(code)
                || (message != null && message.contains("maximum context length"))) {
            return new ModelException.ContextLengthExceeded(text);
        }
        return new ModelException.BadRequest(text, status);
    }

    /**
     * The server's wait hint: {@code retry-after-ms} (Azure) first, then {@code Retry-After} in seconds;
     * null when absent or unreadable (HTTP dates are not worth parsing: no model provider sends them).
     */
    public static Duration retryAfter(Function<String, String> header) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(ms.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String seconds = header.apply("retry-after");
        if (seconds != null) {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(seconds.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    private static JsonNode errorNode(String body) {
        if (body == null || body.isBlank()) {
            return ModelJson.object();
        }
        try {
            JsonNode root = ModelJson.parse(body);
            JsonNode error = root.get("error");
            return error != null && error.isObject() ? error : root;
        } catch (IllegalArgumentException e) {
            return ModelJson.object().put("message", body);
        }
    }

    private static JsonNode inner(JsonNode error) {
        JsonNode inner = error.get("innererror");
        return inner != null ? inner : error.path("inner_error");
    }

    private static boolean isContentFilter(JsonNode error, String code) {
        return "content_filter".equals(code)
                || "ResponsibleAIPolicyViolation".equals(ModelJson.str(inner(error), "code"));
    }

    /** Categories marked {@code filtered: true}, from either spelling of the inner error. */
    static List<String> filteredCategories(JsonNode error) {
        JsonNode inner = inner(error);
        JsonNode results = inner.get("content_filter_result");
        if (results == null) {
            results = inner.path("content_filter_results");
        }
        List<String> categories = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode filtered = e.getValue().get("filtered");
            if (filtered != null && filtered.asBoolean()) {
                categories.add(e.getKey());
            }
        }
        return categories;
    }

    private static String clip(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    }
}
