package dev.berth.model.internal.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.FinishReason;
import dev.berth.model.ModelException;
import dev.berth.model.ResponseItem;
import dev.berth.model.ResponseRequest;
import dev.berth.model.ResponseResult;
import dev.berth.model.ResponseStreamEvent;
import dev.berth.model.ToolCall;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.Timeouts;
import dev.berth.model.internal.ErrorMapper;
import dev.berth.model.internal.HttpTransport;
import dev.berth.model.internal.Routes;
import dev.berth.model.internal.resilience.Ticker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Responses calls over the Responses API's WebSocket mode: a socket per run and deployment
 * ({@link SocketPool}), opened with the deployment's credentials on the {@code responses} route with
 * {@code ws(s)://}, carrying one {@code response.create} at a time ({@link ResponsesSocket}).
 *
 * <p>When a socket cannot be opened (connection refused, upgrade refused, no WebSocket mode at that
 * endpoint) {@link #open} fails with {@link Refused} and the caller uses HTTP; the refusal is
 * remembered for a minute so that calls meanwhile do not pay for a failed upgrade each. A 401 or 403
 * on the upgrade is an authentication error like over HTTP. A socket that breaks during a response
 * fails that attempt with {@link ModelException.Unavailable} (retried like any transport failure;
 * the next attempt opens a new socket and sends the whole context). Never blocks.
 */
public final class WebSocketTransport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** OpenAI closes a connection after 60 minutes ({@code websocket_connection_limit_reached}). */
    private static final Duration MAX_AGE = Duration.ofMinutes(55);
    private static final Duration REFUSAL_MEMORY = Duration.ofMinutes(1);
    /** A whole context goes in one message when a run starts over on a new socket. */
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    /** No socket could be opened; the call should go over HTTP. */
    public static final class Refused extends RuntimeException {
        Refused(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Vertx vertx;
    private final Timeouts timeouts;
    private final HttpTransport http;
    private final Ticker ticker;
    private final WebSocketClient client;
    private final SocketPool pool;
    private final long sweeper;

    public WebSocketTransport(io.vertx.mutiny.core.Vertx vertx, ModelClientConfig config, HttpTransport http,
            Ticker ticker) {
        this.vertx = vertx.getDelegate();
        this.timeouts = config.timeouts();
        this.http = http;
        this.ticker = ticker;
        this.client = this.vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) timeouts.connect().toMillis())
                .setMaxMessageSize(MAX_MESSAGE)
                .setMaxFrameSize(1024 * 1024));
        this.pool = new SocketPool(ticker, IDLE_TIMEOUT, MAX_AGE, REFUSAL_MEMORY);
        this.sweeper = this.vertx.setPeriodic(Duration.ofSeconds(30).toMillis(), id -> pool.sweep());
    }

    /** Whether a call of {@code runKey} to {@code d} should go over a socket (else HTTP). */
    public boolean wanted(Deployment d, String runKey) {
        return runKey != null && d.transport() == Deployment.Transport.WEBSOCKET
                && !pool.recentlyRefused(key(d)) && !pool.busy(runKey, key(d));
    }

    /**
     * The run's idle socket to {@code d}, or a new one. Fails with {@link Refused} when none could be
     * opened, or with the mapped {@link ModelException} when the upgrade was refused for credentials.
     */
    public Uni<Socket> open(Deployment d, String runKey) {
        ResponsesSocket idle = pool.idleSocket(runKey, key(d));
        if (idle != null) {
            return Uni.createFrom().item(new Socket(idle, d, false));
        }
        String url = Routes.url(d, "responses").replaceFirst("^http", "ws");
        return http.credentialsOf(d).header().chain(header -> {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url)
                    .setTimeout(timeouts.connect().toMillis());
            if (header != null) {
                options.addHeader(header.name(), header.value());
            }
            options.addHeader("user-agent", "berth-model-client");
            return Uni.createFrom().completionStage(() -> client.connect(options).toCompletionStage());
        }).map(ws -> {
            ResponsesSocket socket = new ResponsesSocket(ws, d.id(), ticker.nanos());
            pool.put(runKey, key(d), socket);
            return new Socket(socket, d, true);
        }).onFailure(f -> !(f instanceof ModelException)).transform(f -> refusal(d, f));
    }

    private RuntimeException refusal(Deployment d, Throwable f) {
        Throwable cause = f instanceof java.util.concurrent.CompletionException && f.getCause() != null ? f.getCause() : f;
        if (cause instanceof UpgradeRejectedException rejected && (rejected.getStatus() == 401 || rejected.getStatus() == 403)) {
            return ErrorMapper.map(rejected.getStatus(), rejected.getBody() == null ? "" : rejected.getBody().toString(),
                    h -> rejected.getHeaders() == null ? null : rejected.getHeaders().get(h), d.id());
        }
        pool.refused(key(d));
        LOG.infof("no Responses WebSocket to %s (%s: %s); using HTTP for a minute", d.id(),
                cause.getClass().getSimpleName(), cause.getMessage());
        return new Refused("no socket to " + d.id(), cause);
    }

    /** A socket ready for one response. */
    public final class Socket {
        private final ResponsesSocket socket;
        private final Deployment deployment;
        private final boolean fresh;

        Socket(ResponsesSocket socket, Deployment deployment, boolean fresh) {
            this.socket = socket;
            this.deployment = deployment;
            this.fresh = fresh;
        }

        /** Whether it was opened for this call (the whole context goes). */
        public boolean fresh() {
            return fresh;
        }

        /**
         * Sends one response's create body (whole input, no {@code stream}); emits the server's events up
         * to the terminal one. The first-byte timeout applies to each event, the total timeout to the whole;
         * on either, on a broken socket or when the subscriber cancels, the socket is closed, since a late
         * answer on it could no longer be told apart from the next one.
         */
        public Multi<JsonNode> exchange(ObjectNode body) {
            Duration total = timeouts.total();
            return socket.send(body, ticker.nanos())
                    .ifNoItem().after(timeouts.firstByte()).failWith(() -> new ModelException.Unavailable(
                            "no event from " + deployment.id() + " within " + timeouts.firstByte(), 0, null))
                    .select().first(total)
                    .onFailure().invoke(f -> socket.close())
                    .onCancellation().invoke(socket::close)
                    .onCompletion().invoke(() -> {
                        if (!socket.idle()) {
                            // the total timeout cut the response short: the socket still carries it
                            socket.close();
                        }
                    });
        }
    }

    /** Closes the run's sockets. */
    public void closeRun(String runKey) {
        pool.closeRun(runKey);
    }

    /** Open sockets, for tests and metrics. */
    public int openSockets() {
        return pool.open();
    }

    private static String key(Deployment d) {
        return d.id() + "|" + d.baseUrl();
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweeper);
        pool.closeAll();
        client.close().onFailure(e -> { });
    }

    /**
     * A chat-completions call carried as a Responses call, so that a run whose engine speaks chat can use
     * WebSocket mode: leading system messages become {@code instructions} (sent with every response, not
     * part of the socket's chain), user and assistant messages become message items, tool calls
     * {@code function_call} items and tool results {@code function_call_output} items. {@code temperature}
     * has no place in {@link ResponseRequest} and is not sent.
     */
    public static final class ChatOverResponses {
        private ChatOverResponses() {
        }

        public static ResponseRequest request(ChatRequest chat) {
            List<String> instructions = new ArrayList<>();
            List<ResponseItem> items = new ArrayList<>();
            for (ChatMessage m : chat.messages()) {
                switch (m) {
                    case ChatMessage.System s when items.isEmpty() -> instructions.add(s.content());
                    case ChatMessage.System s -> items.add(new ResponseItem.Message("system", s.content(), null));
                    case ChatMessage.User u -> items.add(ResponseItem.Message.user(u.content()));
                    case ChatMessage.Assistant as -> {
                        if (as.content() != null && !as.content().isEmpty()) {
                            items.add(new ResponseItem.Message("assistant", as.content(), null));
                        }
                        as.toolCalls().forEach(c -> items.add(new ResponseItem.FunctionCall(null, c.id(), c.name(),
                                c.arguments())));
                    }
                    case ChatMessage.Tool t -> items.add(new ResponseItem.FunctionCallOutput(t.toolCallId(), t.content()));
                }
            }
            if (items.isEmpty()) {
                // instructions alone: the Responses API needs input, as chat needs a message
                items.add(ResponseItem.Message.user(""));
            }
            return new ResponseRequest(chat.model(), instructions.isEmpty() ? null : String.join("\n\n", instructions),
                    items, chat.tools(), chat.toolChoice(), chat.parallelToolCalls(), chat.maxCompletionTokens(),
                    chat.responseFormat(), null);
        }

        public static ChatResponse response(ResponseResult result) {
            List<ToolCall> calls = result.functionCalls().stream()
                    .map(fc -> new ToolCall(fc.callId(), fc.name(), fc.arguments())).toList();
            FinishReason finish = !calls.isEmpty() ? FinishReason.TOOL_CALLS
                    : !"incomplete".equals(result.status()) ? FinishReason.STOP
                    : "max_output_tokens".equals(result.incompleteReason()) ? FinishReason.LENGTH
                    : "content_filter".equals(result.incompleteReason()) ? FinishReason.CONTENT_FILTER
                    : FinishReason.UNKNOWN;
            return new ChatResponse(result.id(), result.outputText(), calls, finish, result.usage(), result.call());
        }

        /** A Responses stream event as the chat stream's events. */
        public static List<ChatStreamEvent> events(ResponseStreamEvent event) {
            return switch (event) {
                case ResponseStreamEvent.TextDelta t -> List.of(new ChatStreamEvent.TextDelta(t.text()));
                case ResponseStreamEvent.FunctionCallStarted f -> List.of(new ChatStreamEvent.ToolCallDelta(
                        f.outputIndex(), f.callId(), f.name(), ""));
                case ResponseStreamEvent.FunctionCallArgumentsDelta f -> List.of(new ChatStreamEvent.ToolCallDelta(
                        f.outputIndex(), null, null, f.delta()));
                case ResponseStreamEvent.Completed c -> List.of(new ChatStreamEvent.Completed(response(c.result())));
            };
        }
    }
}
