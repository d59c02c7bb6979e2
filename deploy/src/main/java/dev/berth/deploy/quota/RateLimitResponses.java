package dev.berth.deploy.quota;

import dev.berth.deploy.error.Problems;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the {@link RateLimitFilter}'s 429 on every route it guards (every authenticated
 * {@code /v1} route), so clients generated from the document know to wait {@code Retry-After};
 * and the quotas' 409 on the creations they count ({@link QuotaResponses}).
 */
public class RateLimitResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            // The platform's routes have no tenant, so no tenant bucket (ADR 0034).
            if (path.startsWith("/v1/") && !path.equals("/v1/info") && !path.startsWith("/v1/platform/")) {
                item.getOperations().values().forEach(RateLimitResponses::addTooManyRequests);
            }
        });
        QuotaResponses.addQuotaExceeded(openApi);
    }

    private static void addTooManyRequests(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse tooMany = OASFactory.createAPIResponse()
                .description("the tenant's rate limit is reached (problem type rate-limited); nothing was done")
                .addHeader("Retry-After", OASFactory.createHeader()
                        .description("whole seconds until a request will be admitted again")
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))))
                .content(OASFactory.createContent().addMediaType(Problems.MEDIA_TYPE, OASFactory.createMediaType()));
        operation.getResponses().addAPIResponse("429", tooMany);
    }
}
