package dev.berth.model.fake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.internal.FakeHandler;
import dev.berth.model.fake.internal.FakeResponsesSocket;
import dev.berth.model.fake.internal.FakeState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A real HTTP server that speaks the model API (OpenAI and Azure routes) for tests, benchmarks
 * and Berth's offline demo.
 *
 * <p>Model routes (POST): {@code /openai/v1/{op}} and {@code /v1/{op}} with {@code op} one of
 * {@code chat/completions}, {@code responses}, {@code embeddings}; Azure classic
 * {@code /openai/deployments/{d}/chat/completions|embeddings?api-version=...} and
 * {@code /openai/responses?api-version=...}. Requests with {@code "stream": true} are answered
 * with server-sent events in the providers' shapes (Azure routes add the empty first chunk,
 * annotation chunks and content-filter results). A fake Entra ID token endpoint answers
 * {@code POST /{tenant}/oauth2/v2.0/token}.
 *
 * <p>Control routes: {@code POST /_fake/script} appends replies (JSON described in
 * {@code ScriptCodec}), {@code GET /_fake/requests} lists recorded requests (secrets masked),
 * {@code POST /_fake/reset} forgets both, {@code POST /_fake/strict} turns strict mode on or off.
 * Only the last {@link FakeOptions#recordLimit()} requests are kept.
 *
 * <p>Access: with {@link FakeOptions#apiKey()} set, every route answers 401 without the key (in
 * the providers' error shape), the control routes included; Berth's demo mode uses a random key
 * per process ({@link FakeOptions#withRandomApiKey()}) on a loopback address, so no other local
 * process can read the prompts it recorded or script its answers.
 *
 * <p>Routed replies ({@link #route}) go to requests whose system instructions contain the route's
 * marker. Scripted replies ({@link #enqueue}) are consumed one per model request, in order; with none
 * left the server answers with a deterministic "demo brain": it summarises tool output, calls a
 * tool whose name or description matches the user's words, or echoes the user.
 *
 * <p>Threading: all methods are thread safe; requests are served on a Vert.x event loop.
 */
public final class FakeModelServer implements AutoCloseable {
    private final io.vertx.core.Vertx vertx;
    private final FakeState state;
    private volatile HttpServer server;

    private FakeModelServer(Vertx vertx, FakeOptions options) {
        this.vertx = vertx.getDelegate();
        this.state = new FakeState(options);
    }

    /** Starts listening; the {@code Uni} completes once the port is bound. */
    public static Uni<FakeModelServer> start(Vertx vertx, FakeOptions options) {
        FakeModelServer fake = new FakeModelServer(Objects.requireNonNull(vertx), Objects.requireNonNull(options));
        FakeHandler handler = new FakeHandler(fake.vertx, fake.state);
        HttpServer server = fake.vertx.createHttpServer(new HttpServerOptions().setHost(options.host())
                .setPort(options.port()).setIdleTimeout(0).setTcpNoDelay(true)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024).setMaxWebSocketFrameSize(1024 * 1024))
                .requestHandler(handler::handle)
                .webSocketHandler(new FakeResponsesSocket(fake.vertx, fake.state, handler)::handle);
        return Uni.createFrom().completionStage(() -> server.listen().toCompletionStage()).map(s -> {
            fake.server = s;
            return fake;
        });
    }

    /** Blocking start for tests and {@code main}; never call on an event-loop thread. */
    public static FakeModelServer startAndAwait(Vertx vertx, FakeOptions options) {
        return start(vertx, options).await().atMost(Duration.ofSeconds(30));
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * The key every route needs (see {@link FakeOptions#apiKey()}), or null when the fake takes
     * requests from anyone. A test that calls a keyed fake over HTTP gets the key here.
     */
    public String apiKey() {
        return state.options.apiKey();
    }

    /** The address the server is bound to, as configured ({@code 127.0.0.1} unless told otherwise). */
    public String host() {
        return state.options.host();
    }

    /** The Azure v1 base URL, {@code http://127.0.0.1:PORT/openai/v1}. */
    public String baseUrl() {
        return origin() + "/openai/v1";
    }

    /** The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String openAiBaseUrl() {
        return origin() + "/v1";
    }

    /** The resource endpoint for Azure classic routes and the Entra ID authority host, {@code http://127.0.0.1:PORT}. */
    public String origin() {
        return "http://" + state.options.host() + ":" + port();
    }

    /** Appends replies to the script. */
    public FakeModelServer enqueue(FakeReply... replies) {
        state.script.addAll(List.of(replies));
        return this;
    }

    /**
     * Appends replies to a route: a model request whose system instructions contain {@code marker}
     * takes its reply from this route first, in order, and from the main script once the route is
     * empty. Lets tests script agents that call the model concurrently (sub-agents) each its own way.
     */
    public FakeModelServer route(String marker, FakeReply... replies) {
        state.routes.computeIfAbsent(java.util.Objects.requireNonNull(marker, "marker"),
                key -> new java.util.concurrent.ConcurrentLinkedQueue<>()).addAll(List.of(replies));
        return this;
    }

    /** Replies scripted on routes but not yet consumed. */
    public int pendingRoutedReplies() {
        return state.routes.values().stream().mapToInt(java.util.Queue::size).sum();
    }

    /** Replies scripted but not yet consumed. */
    public int pendingReplies() {
        return state.script.size();
    }

    /** The JSON bodies of the model requests received, oldest first (the last {@code recordLimit}). */
    public List<JsonNode> requests() {
        return state.recorded.list().stream().map(RecordedRequest::body).toList();
    }

    /** The model requests received with method, path, query and headers, oldest first. */
    public List<RecordedRequest> recordedRequests() {
        return state.recorded.list();
    }

    /** How many token requests the fake Entra ID endpoint has answered since the last reset. */
    public int tokenRequests() {
        return state.tokenRequests.get();
    }

    /**
     * Strict mode, like a scripted model double should be: a model request that finds the script
     * empty gets a 500 ({@code fake_script_exhausted}) instead of a demo answer. Off by default.
     */
    public FakeModelServer strict(boolean enabled) {
        state.strict = enabled;
        return this;
    }

    /** Throws {@link AssertionError} when scripted replies were left unconsumed (a test expected more calls). */
    public void assertScriptConsumed() {
        int left = state.script.size();
        if (left > 0) {
            throw new AssertionError(left + " scripted replies were not consumed: " + List.copyOf(state.script));
        }
    }

    /**
     * The wait before answering each WebSocket-mode message (the fake's per-message overhead), apart
     * from the per-request {@code latency} of HTTP; null to use that latency for both. A reply's own
     * latency still wins.
     */
    public FakeModelServer socketLatency(Duration perMessage) {
        state.socketLatency = perMessage;
        return this;
    }

    /** Whether WebSocket-mode upgrades are accepted (the default) or refused with 404, like an endpoint without it. */
    public FakeModelServer webSockets(boolean accepted) {
        state.webSockets = accepted;
        return this;
    }

    /** WebSocket-mode connections open now. */
    public int openSockets() {
        return state.openSockets.size();
    }

    /** Closes every open WebSocket-mode connection, as a provider or a proxy dropping them would. */
    public void dropSockets() {
        List.copyOf(state.openSockets).forEach(ws -> ws.close((short) 1001, "going away"));
    }

    /** Forgets the script, the recorded requests and the token-request count (strict mode stays as set). */
    public void reset() {
        state.reset();
    }

    public Uni<Void> closeAsync() {
        HttpServer s = server;
        return s == null ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(() -> s.close().toCompletionStage());
    }

    /** Stops listening (blocking; not on an event loop). The {@code Vertx} stays open. */
    @Override
    public void close() {
        closeAsync().await().atMost(Duration.ofSeconds(10));
    }

    /**
     * {@code java -cp ... dev.berth.model.fake.FakeModelServer [--host H] [--port P] [--latency-ms MS]
     * [--chunk-delay-ms MS] [--api-key K] [--record-limit N]}. A host other than loopback needs {@code --api-key}.
     */
    public static void main(String[] args) throws InterruptedException {
        useJBossLogManagerIfPresent();
        FakeOptions opts = FakeOptions.defaults().withPort(8089);
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            opts = switch (args[i]) {
                case "--host" -> opts.withHost(value);
                case "--port" -> opts.withPort(Integer.parseInt(value));
                case "--latency-ms" -> opts.withLatency(Duration.ofMillis(Long.parseLong(value)));
                case "--chunk-delay-ms" -> opts.withChunkDelay(Duration.ofMillis(Long.parseLong(value)));
                case "--api-key" -> opts.withApiKey(value);
                case "--record-limit" -> opts.withRecordLimit(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            };
        }
        Vertx vertx = Vertx.vertx();
        FakeModelServer fake = startAndAwait(vertx, opts);
        System.out.println("Fake model server listening: Azure v1 " + fake.baseUrl() + ", OpenAI "
                + fake.openAiBaseUrl() + ", classic " + fake.origin() + "/openai/deployments/{d}");
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::closeAndAwait));
        Thread.currentThread().join();
    }

    /** JBoss Logging complains when the JBoss log manager is on the class path but not installed. */
    public static void useJBossLogManagerIfPresent() {
        if (System.getProperty("java.util.logging.manager") == null) {
            try {
                Class.forName("org.jboss.logmanager.LogManager", false, FakeModelServer.class.getClassLoader());
                System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            } catch (ClassNotFoundException absent) {
                // plain JUL then
            }
        }
    }
}
