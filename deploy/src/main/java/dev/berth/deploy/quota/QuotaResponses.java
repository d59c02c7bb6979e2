package dev.berth.deploy.quota;

import dev.berth.deploy.error.Problems;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the {@code 409 quota-exceeded} problem (ADR 0031) on the routes whose creations are
 * counted, next to any other 409 the route already documents. Called by {@link RateLimitResponses},
 * the application's one OpenAPI filter.
 */
final class QuotaResponses {
    private static final String WHY = "the creation would take the tenant over a quota (problem type quota-exceeded,"
            + " with quota, limit and used); nothing was written";
    /** The counted creations: path and method. */
    private static final Map<String, PathItem.HttpMethod> CREATIONS = Map.of(
            "/v1/sessions", PathItem.HttpMethod.POST,
            "/v1/agents/{name}", PathItem.HttpMethod.PUT,
            "/v1/memories", PathItem.HttpMethod.POST,
            "/v1/memories/{id}", PathItem.HttpMethod.PATCH,
            "/v1/api-keys", PathItem.HttpMethod.POST);

    private QuotaResponses() {
    }

    static void addQuotaExceeded(OpenAPI openApi) {
        CREATIONS.forEach((path, method) -> {
            PathItem item = openApi.getPaths().getPathItem(path);
            Operation operation = item == null ? null : item.getOperations().get(method);
            if (operation != null) {
                add(operation);
            }
        });
    }

    private static void add(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse existing = operation.getResponses().getAPIResponse("409");
        if (existing != null) {
            existing.setDescription(existing.getDescription() + "; or " + WHY);
            return;
        }
        operation.getResponses().addAPIResponse("409", OASFactory.createAPIResponse().description(WHY)
                .content(OASFactory.createContent().addMediaType(Problems.MEDIA_TYPE, OASFactory.createMediaType())));
    }
}
