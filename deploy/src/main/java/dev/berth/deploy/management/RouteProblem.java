package dev.berth.deploy.management;

import dev.berth.deploy.error.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A problem answer written straight from a Vert.x route, for requests refused before any
 * REST resource sees them (the management paths). Same shape and type URIs as {@link Problems}.
 */
final class RouteProblem {
    private RouteProblem() {
    }

    static void end(RoutingContext ctx, int status, String slug, String title, String detail) {
        String body = new JsonObject()
                .put("type", Problems.TYPE_BASE + slug)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .encode();
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .end(body);
    }

    /** 405 with the {@code Allow} header: the management and document routes only read. */
    static void readOnly(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
        end(ctx, 405, "method-not-allowed", "Method Not Allowed",
                ctx.request().method().name() + " is not allowed on " + ctx.normalizedPath() + "; use GET or HEAD");
    }

    static boolean reads(RoutingContext ctx) {
        return switch (ctx.request().method().name()) {
            case "GET", "HEAD" -> true;
            default -> false;
        };
    }
}
