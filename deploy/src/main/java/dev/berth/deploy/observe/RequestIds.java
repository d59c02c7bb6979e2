package dev.berth.deploy.observe;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The request id of {@code X-Request-Id}: the client's value when it is sane (a short token of
 * letters, digits and {@code . _ : -}), a new one otherwise, so that a client cannot write
 * arbitrary text into the logs through it. It is echoed in the response header, carried by every
 * problem body and log line of the request (MDC {@code requestId}).
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The client's id if it is sane, else a new one. */
    public static String accept(String fromClient) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : generate();
    }

    public static String generate() {
        return UUID.randomUUID().toString();
    }

    /** Makes {@code id} the current request's id: problems and log lines of the request carry it. */
    public static void bind(String id) {
        MDC.put(MDC_KEY, id);
        if (onRequestContext()) {
            ContextLocals.put(MDC_KEY, id);
        }
    }

    /** The current request's id, or null outside a request. */
    public static String current() {
        return onRequestContext() ? ContextLocals.<String>get(MDC_KEY).orElse(null) : null;
    }

    // Each request runs on a Vert.x duplicated context of its own (on the event loop and on the
    // worker threads it hops to); that is where the id lives.
    private static boolean onRequestContext() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context);
    }
}
