package dev.berth.deploy.error;

import dev.berth.deploy.observe.RequestIds;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnectionHandler;
import io.vertx.core.http.impl.HttpServerWorker;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Problems for requests refused before any route sees them. The HTTP decoder rejects a malformed
 * request line or header (400), a request line over
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers over
 * {@code quarkus.http.limits.max-header-size} (431); Vert.x answers these through the server's
 * invalid-request handler, by default with an empty body. Quarkus then refuses a request target
 * that is not a valid URI ({@code /v1/sessions/%zz}), with an empty 400 too.
 *
 * <p>Quarkus 3.33 creates its HTTP servers itself and offers no way to set that handler
 * (quarkusio/quarkus#55082), so it is installed here, by reflection into Vert.x 4.5, once every
 * HTTP server verticle listens: each server's connection handler, built when it started to
 * listen, gets this handler, and its request handler is preceded by the same URI check. Should a Vert.x upgrade move those fields, this logs a warning and
 * Berth runs on with Vert.x's empty answers; {@code HttpLayerProblemsTest} fails, so the upgrade
 * does not go unnoticed.
 */
@ApplicationScoped
public class InvalidRequests {
    private static final Logger LOG = Logger.getLogger(InvalidRequests.class);
    private static final long POLL_MILLIS = 20;
    private static final int MAX_POLLS = 1_500;

    /**
     * Quarkus announces the first of its servers that listens (once); the others, one per event
     * loop, follow within milliseconds. Polls until all of them listen, then installs.
     */
    void install(@ObservesAsync HttpServerStart started, Vertx vertx) {
        AtomicInteger polls = new AtomicInteger();
        vertx.setPeriodic(POLL_MILLIS, timer -> {
            try {
                List<HttpServerWorker> workers = listeningWorkers(vertx);
                if (workers != null) {
                    vertx.cancelTimer(timer);
                    for (HttpServerWorker worker : workers) {
                        installOn(worker, InvalidRequests::answer);
                    }
                } else if (polls.incrementAndGet() >= MAX_POLLS) {
                    vertx.cancelTimer(timer);
                    LOG.warn("The HTTP servers did not all listen in time: malformed requests are answered"
                            + " without a problem body");
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                vertx.cancelTimer(timer);
                LOG.warnf("Malformed requests are answered without a problem body: %s", e.toString());
            }
        });
    }

    /** Answers a request whose target is not a valid URI, before Quarkus answers it without a body. */
    static Handler<HttpServerRequest> checkingUri(Handler<HttpServerRequest> next) {
        return request -> {
            if (validUri(request.uri())) {
                next.handle(request);
                return;
            }
            Problems.Problem problem = Problems.problem(400, "bad-request", Problems.title(400),
                    "the request target is not a valid URI", null, RequestIds.generate());
            ProblemLog.clientError(problem);
            HttpLayerProblems.write(request, problem);
        };
    }

    private static boolean validUri(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    /** Answers a request the decoder rejected with a problem, and closes the connection. */
    static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String detail = switch (status) {
            case 414 -> "the request line is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            default -> "the request line or a header is malformed";
        };
        Problems.Problem problem = Problems.problem(status, Problems.slug(status), Problems.title(status), detail, null,
                RequestIds.generate());
        ProblemLog.clientError(problem);
        // The decoder cannot find the next request after a bad one: the connection ends here.
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        HttpLayerProblems.write(request, problem);
        request.response().close();
    }

    /**
     * The connection workers of the HTTP servers of the deployed verticles, or null while a verticle
     * with an HTTP server has not yet started or its server does not listen yet.
     */
    private static List<HttpServerWorker> listeningWorkers(Vertx vertx) throws ReflectiveOperationException {
        List<HttpServerWorker> workers = new ArrayList<>();
        for (String id : vertx.deploymentIDs()) {
            Deployment deployment = ((VertxInternal) vertx).getDeployment(id);
            if (deployment == null) {
                continue;
            }
            for (Verticle verticle : deployment.getVerticles()) {
                List<Field> serverFields = serverFields(verticle);
                if (serverFields.isEmpty()) {
                    continue;
                }
                List<HttpServerWorker> own = new ArrayList<>();
                for (Field field : serverFields) {
                    if (field.get(verticle) instanceof TCPServerBase server
                            && field(TCPServerBase.class, "childHandler").get(server) instanceof HttpServerWorker worker) {
                        own.add(worker);
                    }
                }
                if (own.isEmpty()) {
                    return null;
                }
                workers.addAll(own);
            }
        }
        return workers.isEmpty() ? null : workers;
    }

    private static List<Field> serverFields(Verticle verticle) {
        List<Field> fields = new ArrayList<>();
        for (Field field : verticle.getClass().getDeclaredFields()) {
            if (HttpServer.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields;
    }

    /**
     * Gives the worker's connection handler (built when its server started to listen, with
     * Vert.x's default) our handler. Written on the worker's event loop, the thread that reads it
     * for each new connection.
     */
    private static void installOn(HttpServerWorker worker, Handler<HttpServerRequest> handler)
            throws ReflectiveOperationException {
        if (!(field(HttpServerWorker.class, "connectionHandler").get(worker)
                instanceof HttpServerConnectionHandler connections)) {
            throw new NoSuchFieldException("HttpServerWorker.connectionHandler is not an HttpServerConnectionHandler");
        }
        Field invalid = field(HttpServerConnectionHandler.class, "invalidRequestHandler");
        Field requests = field(HttpServerConnectionHandler.class, "requestHandler");
        Context context = (Context) field(HttpServerWorker.class, "context").get(worker);
        context.runOnContext(ignored -> {
            try {
                invalid.set(connections, handler);
                @SuppressWarnings("unchecked")
                Handler<HttpServerRequest> next = (Handler<HttpServerRequest>) requests.get(connections);
                requests.set(connections, checkingUri(next));
            } catch (IllegalAccessException e) {
                LOG.warnf("Malformed requests are answered without a problem body: %s", e.toString());
            }
        });
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
