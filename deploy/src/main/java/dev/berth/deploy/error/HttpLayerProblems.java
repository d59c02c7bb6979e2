package dev.berth.deploy.error;

import dev.berth.deploy.observe.RequestIds;
import dev.berth.deploy.openai.OpenAiErrors;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Problems for what fails in the Vert.x router, before or around the resources: no route for the
 * path or method, a failure a route handler did not answer (the body limit's 413 is
 * {@code BodyLimit}'s, written through {@link #answer}). Without this, Vert.x and Quarkus answer
 * these with an empty body, plain text or HTML. Also gives every request its id
 * ({@link RequestIds}) before anything else runs.
 */
@ApplicationScoped
public class HttpLayerProblems {
    // Statuses the router itself answers (no match, a handler's fail(status)).
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 401, 403, 404, 405, 406, 408, 413, 414, 415, 431,
            500, 501, 503);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(HttpLayerProblems::identify);
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpLayerProblems::failed);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, HttpLayerProblems::failed);
        }
    }

    private static void identify(RoutingContext context) {
        String id = RequestIds.accept(context.request().getHeader(RequestIds.HEADER));
        RequestIds.bind(id);
        context.put(RequestIds.MDC_KEY, id);
        context.response().putHeader(RequestIds.HEADER, id);
        context.next();
    }

    private static void failed(RoutingContext context) {
        Throwable failure = context.failure();
        int status = context.statusCode();
        if (status < 400) {
            status = failure instanceof HttpException http ? http.getStatusCode() : 500;
        }
        HttpServerResponse response = context.response();
        if (response.ended() || response.headWritten()) {
            // Too late for a problem: log the fault, and end the connection so the client sees it broke.
            ProblemLog.answered(problem(context, status, detail(status)), failure);
            if (!response.ended()) {
                context.request().connection().close();
            }
            return;
        }
        answer(context, status, Problems.slug(status), detail(status), failure);
    }

    /**
     * Answers the request with a problem straight from a Vert.x route (the body limit, the
     * management paths): the same shape, request id and log line as every other problem.
     */
    public static void answer(RoutingContext context, int status, String slug, String detail, Throwable cause) {
        Problems.Problem problem = Problems.problem(status, slug, Problems.title(status), detail, null,
                requestId(context));
        ProblemLog.answered(problem, cause);
        write(context.request(), problem);
    }

    /**
     * Writes {@code problem} as the whole answer to {@code request}: problem+json, or on the OpenAI
     * surface OpenAI's error object, whose shape {@link OpenAiErrors} owns (ADR 0040). A request whose
     * line the decoder could not read has no path of its own (Netty names it {@code /bad-request}), so
     * it gets a problem.
     */
    static void write(HttpServerRequest request, Problems.Problem problem) {
        boolean openAi = OpenAiErrors.covers(request.path());
        request.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, openAi ? OpenAiErrors.MEDIA_TYPE : Problems.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, problem.requestId())
                .end(openAi ? OpenAiErrors.json(problem) : Problems.json(problem));
    }

    private static Problems.Problem problem(RoutingContext context, int status, String detail) {
        return Problems.problem(status, Problems.slug(status), Problems.title(status), detail, null,
                requestId(context));
    }

    private static String requestId(RoutingContext context) {
        String id = context.get(RequestIds.MDC_KEY);
        return id != null ? id : RequestIds.generate();
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "nothing is served at this path";
            case 405 -> "this path does not take this method";
            case 406 -> "no representation here matches the Accept header";
            case 413 -> "the request body is over the limit";
            case 414 -> "the request line is longer than the server accepts";
            case 415 -> "this path does not take a body of this Content-Type";
            case 431 -> "the request headers are larger than the server accepts";
            default -> status >= 500 ? "the server failed to handle the request" : Problems.title(status);
        };
    }
}
