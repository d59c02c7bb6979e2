package dev.berth.deploy.management;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * What the public port does with {@code /q/*}: the OpenAPI document stays (clients generate
 * code from it) but only to GET and HEAD; health and metrics live on the management port
 * ({@code berth.management.port}) and are a 404 problem here, even should a configuration
 * put them back on this port (they tell an outsider about load and internals).
 */
@ApplicationScoped
public class PublicManagementPaths {
    /** Above Quarkus's own filters, so nothing else runs for a refused request. */
    private static final int PRIORITY = 10_000;
    private static final String OPENAPI = "/q/openapi";
    private static final List<String> MANAGEMENT_ONLY = List.of("/q/health", "/q/metrics", "/q/info");

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (under(path, OPENAPI) && !RouteProblem.reads(ctx)) {
            RouteProblem.readOnly(ctx);
        } else if (MANAGEMENT_ONLY.stream().anyMatch(prefix -> under(path, prefix))) {
            RouteProblem.end(ctx, 404, "not-found", "no resource at " + path);
        } else {
            ctx.next();
        }
    }

    /** {@code path} is {@code prefix} itself or below it ({@code /q/openapi.json} counts as the document). */
    private static boolean under(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length()
                || path.charAt(prefix.length()) == '/' || path.charAt(prefix.length()) == '.');
    }
}
