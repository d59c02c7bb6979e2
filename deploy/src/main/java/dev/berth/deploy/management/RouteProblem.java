package dev.berth.deploy.management;

import dev.berth.deploy.error.HttpLayerProblems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A problem answer written straight from a Vert.x route, for requests refused before any
 * REST resource sees them (the management paths), written like every other route-level problem.
 */
final class RouteProblem {
    private RouteProblem() {
    }

    static void end(RoutingContext ctx, int status, String slug, String detail) {
        HttpLayerProblems.answer(ctx, status, slug, detail, null);
    }

    /** 405 with the {@code Allow} header: the management and document routes only read. */
    static void readOnly(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
        end(ctx, 405, "method-not-allowed",
                ctx.request().method().name() + " is not allowed on " + ctx.normalizedPath() + "; use GET or HEAD");
    }

    static boolean reads(RoutingContext ctx) {
        return switch (ctx.request().method().name()) {
            case "GET", "HEAD" -> true;
            default -> false;
        };
    }
}
