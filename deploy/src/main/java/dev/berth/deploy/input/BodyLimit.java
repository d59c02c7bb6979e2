package dev.berth.deploy.input;

import dev.berth.deploy.error.HttpLayerProblems;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The request body limit ({@code berth.api.max-body-bytes}), counted as the bytes arrive
 * whatever the framing: a {@code Content-Length} over the limit is refused before any byte is
 * read, and a chunked body (or one without a length) the moment the count passes the limit.
 * Either way the answer is a 413 problem and nothing is stored.
 *
 * <p>A Vert.x body handler in front of every route reads the body into memory up to the limit,
 * and a pre-matching filter hands what it read to RESTEasy Reactive as the entity stream. (Left to
 * itself, RESTEasy Reactive 3.33 copies a body read beforehand twice when it is larger than its
 * input buffer, {@code quarkus.rest.input-buffer-size}, and the second copy is zeros.)
 * The rest of an oversized body is read and thrown away, so the client can read its 413.
 * Runs before Quarkus's own cap ({@code quarkus.http.limits.max-body-size}, order -2), which
 * stays as a second line with a plain 413.
 */
@ApplicationScoped
public class BodyLimit {
    /** Before Quarkus's upload limit (-2) and every application route. */
    static final int ORDER = -3;
    private static final int PAYLOAD_TOO_LARGE = 413;
    /** Set on a request whose body the route handler read. */
    private static final String READ = "berth.body-read";

    private final long maxBytes;

    @Inject
    public BodyLimit(@ConfigProperty(name = "berth.api.max-body-bytes", defaultValue = "1048576") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void install(@Observes Router router) {
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(maxBytes);
        router.route().order(ORDER)
                .handler(context -> {
                    if (hasBody(context.request())) {
                        context.put(READ, Boolean.TRUE);
                        reader.handle(context);
                    } else {
                        context.next();
                    }
                })
                .failureHandler(this::tooLarge);
    }

    /**
     * Whether a body may follow: chunked, HTTP/2, or a positive Content-Length. A request without
     * one has nothing to count; Vert.x's BodyHandler given one with {@code Content-Length: 0}
     * never passes it on (the request hangs), so it does not see those.
     */
    private static boolean hasBody(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        if (request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length != null && Long.parseLong(length.trim()) > 0;
        } catch (NumberFormatException e) {
            return false; // a malformed length is the HTTP layer's to refuse
        }
    }

    /** The body the route handler read, as the entity stream: RESTEasy Reactive then reads nothing itself. */
    @ServerRequestFilter(preMatching = true)
    public void useBodyRead(ContainerRequestContext request, RoutingContext context) {
        Buffer body = context.get(READ) == null ? null : context.body().buffer();
        if (body != null && body.length() > 0) {
            request.setEntityStream(new ByteBufInputStream(body.getByteBuf()));
        }
    }

    private void tooLarge(RoutingContext context) {
        if (context.statusCode() != PAYLOAD_TOO_LARGE || context.response().headWritten()) {
            context.next();
            return;
        }
        HttpLayerProblems.answer(context, PAYLOAD_TOO_LARGE, "payload-too-large",
                "the request body is larger than the limit of " + maxBytes + " bytes", null);
    }
}
