package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ModelException;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.Timeouts;
import dev.berth.model.internal.auth.AuthHeader;
import dev.berth.model.internal.auth.CredentialProvider;
import dev.berth.model.internal.auth.Credentials;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP for the model API: one pooled Vert.x client shared by all deployments, credentials per
 * deployment, the three timeouts, and the mapping of transport failures and error answers to
 * {@link ModelException}s. Never blocks; callbacks run on the Vert.x event loop.
 */
public final class HttpTransport implements AutoCloseable {
    /** Sent on every request, calls and streams alike (providers' logs and support tell clients apart by it). */
    static final String USER_AGENT = "berth-model-client";
    private final Vertx vertx;
    private final Timeouts timeouts;
    private final dev.berth.model.internal.resilience.Ticker ticker;
    private final HttpClient http;
    private final WebClient web;
    private final Map<String, CredentialProvider> credentials = new ConcurrentHashMap<>();

    public HttpTransport(Vertx vertx, ModelClientConfig config, dev.berth.model.internal.resilience.Ticker ticker) {
        this.ticker = ticker;
        this.vertx = vertx;
        this.timeouts = config.timeouts();
        HttpClientOptions options = new WebClientOptions()
                .setUserAgent(USER_AGENT)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) timeouts.connect().toMillis())
                .setMaxPoolSize(config.maxConnectionsPerHost())
                .setKeepAlive(true)
                .setTryUseCompression(false)
                .setMaxWaitQueueSize(-1);
        this.http = vertx.createHttpClient(options);
        this.web = WebClient.wrap(http, new WebClientOptions(options.toJson()));
    }

    /** A JSON POST; a 2xx answer is parsed, anything else fails with the mapped {@link ModelException}. */
    public Uni<JsonNode> postJson(Deployment d, String operation, Buffer body) {
        Duration total = timeouts.total();
        return credentialsOf(d).header()
                .chain(header -> request(d, operation, header).sendBuffer(body))
                .ifNoItem().after(total)
                .failWith(() -> new ModelException.Unavailable("no answer from " + d.id() + " within " + total, 0, null))
                .onFailure(f -> !(f instanceof ModelException)).transform(f -> transportFailure(d, f))
                .map(response -> parseOk(response, d));
    }

    /**
     * Opens a streaming POST: completes with the (paused) response once a 2xx status arrived, so
     * that the caller subscribes to the body when it is ready; error statuses fail with the
     * mapped {@link ModelException} after reading the error body.
     */
    public Uni<HttpClientResponse> openStream(Deployment d, String operation, Buffer body) {
        Duration total = timeouts.total();
        return credentialsOf(d).header().chain(header -> {
            RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(Routes.url(d, operation))
                    .setIdleTimeout(timeouts.firstByte().toMillis())
                    .putHeader("content-type", "application/json")
                    .putHeader("accept", "text/event-stream")
                    // the raw HttpClient does not add the WebClient's user agent by itself
                    .putHeader("user-agent", USER_AGENT);
            if (header != null) {
                ro.putHeader(header.name(), header.value());
            }
            return http.request(ro).chain(req -> req.send(body));
        }).chain(resp -> {
            if (resp.statusCode() / 100 == 2) {
                resp.pause();
                return Uni.createFrom().item(resp);
            }
            return resp.body().map(b -> {
                throw errorOf(d, resp.statusCode(), b.toString(), resp::getHeader);
            });
        }).ifNoItem().after(total)
                .failWith(() -> new ModelException.Unavailable("no answer from " + d.id() + " within " + total, 0, null))
                .onFailure(f -> !(f instanceof ModelException)).transform(f -> transportFailure(d, f));
    }

    /**
     * The body of an opened stream; transport failures midway become {@link ModelException.Unavailable}.
     * When the total timeout passes, the request is reset and the body fails. Cancelling the
     * subscription also resets the request, so an abandoned stream neither keeps its connection
     * nor leaves unread bytes in the pool.
     */
    public Multi<Buffer> body(Deployment d, HttpClientResponse response) {
        return Multi.createFrom().deferred(() -> {
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            long timer = vertx.setTimer(Math.max(1, timeouts.total().toMillis()), id -> {
                timedOut.set(true);
                response.request().reset();
            });
            return response.toMulti()
                    .onFailure().transform(f -> timedOut.get()
                            ? new ModelException.Unavailable("stream from " + d.id() + " exceeded the total timeout of "
                                    + timeouts.total(), 0, f)
                            : f instanceof ModelException ? f : new ModelException.Unavailable("stream from " + d.id()
                                    + " broke: " + f.getClass().getSimpleName() + ": " + f.getMessage(), 0, f))
                    .onTermination().invoke(() -> vertx.cancelTimer(timer))
                    .onCancellation().invoke(() -> {
                        // the subscriber is gone: swallow the reset's own error instead of having Mutiny log it as dropped
                        response.getDelegate().exceptionHandler(ignored -> { });
                        response.request().reset();
                    });
        });
    }

    private HttpRequest<Buffer> request(Deployment d, String operation, AuthHeader header) {
        HttpRequest<Buffer> r = web.postAbs(Routes.url(d, operation))
                .putHeader("content-type", "application/json")
                .putHeader("accept", "application/json")
                .timeout(timeouts.firstByte().toMillis());
        if (header != null) {
            r.putHeader(header.name(), header.value());
        }
        return r;
    }

    private JsonNode parseOk(HttpResponse<Buffer> response, Deployment d) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.bodyAsString();
        if (status / 100 != 2) {
            throw errorOf(d, status, text, response::getHeader);
        }
        try {
            return ModelJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ModelException.Unavailable("malformed answer from " + d.id(), status, e);
        }
    }

    private ModelException errorOf(Deployment d, int status, String body, java.util.function.Function<String, String> h) {
        if (status == 401) {
            // a revoked or expired token: fetch a fresh one next time
            credentialsOf(d).invalidate();
        }
        return ErrorMapper.map(status, body, h, d.id());
    }

    private static ModelException transportFailure(Deployment d, Throwable f) {
        return new ModelException.Unavailable("calling " + d.id() + " failed: " + f.getClass().getSimpleName() + ": "
                + f.getMessage(), 0, f);
    }

    CredentialProvider credentialsOf(Deployment d) {
        return credentials.computeIfAbsent(d.id() + "|" + d.baseUrl() + "|" + d.flavour(),
                k -> Credentials.forDeployment(vertx, web, d, ticker));
    }

    @Override
    public void close() {
        web.close();
        http.close().subscribe().with(v -> { }, f -> { });
    }
}
