package dev.berth.runtime.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.tool.ToolException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * The connection to one MCP server and its cached tool list.
 *
 * <p>Lifecycle: {@link #start()} connects (initialize, then {@code tools/list}, every page);
 * the list is fetched again on {@code notifications/tools/list_changed} and every
 * {@code refresh-interval}. A failed connection, refresh or transport error closes the client
 * and connects again with a backoff of 1 s doubling up to 1 min; the last known list stays
 * offered meanwhile, and calls fail with a retryable error until the server is back.
 *
 * <p>Threading: {@link #tools()} and {@link #call} never block; reconnection runs on the
 * SDK's threads and the shared scheduler; call outcomes complete on the callbacks executor.
 */
final class McpServerConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(McpServerConnection.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final McpServerSettings settings;
    private final ObjectMapper mapper;
    private final McpJsonMapper jsonMapper;
    private final JsonSchemaValidator validator;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final AtomicReference<McpAsyncClient> client = new AtomicReference<>();
    private final AtomicReference<Map<String, McpToolHandle>> tools = new AtomicReference<>(Map.of());
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean listedOnce;
    private volatile boolean closed;

    McpServerConnection(McpServerSettings settings, ObjectMapper mapper, McpJsonMapper jsonMapper,
            JsonSchemaValidator validator, ScheduledExecutorService scheduler, Executor callbacks) {
        this.settings = settings;
        this.mapper = mapper;
        this.jsonMapper = jsonMapper;
        this.validator = validator;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
    }

    McpServerSettings settings() {
        return settings;
    }

    /** Tools by qualified name; the last list fetched (empty before the first). */
    Map<String, McpToolHandle> tools() {
        return tools.get();
    }

    /** Whether a tool list was ever fetched from this server. */
    boolean listedOnce() {
        return listedOnce;
    }

    boolean connected() {
        return client.get() != null;
    }

    /** Connects; the returned future completes when the first attempt succeeded or failed. */
    CompletableFuture<Void> start() {
        scheduler.scheduleWithFixedDelay(this::refresh, settings.refreshInterval().toMillis(),
                settings.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
        return connect();
    }

    /** Context key of the HTTP headers a call sends besides the transport's own (trace context). */
    private static final String CALL_HEADERS = "dev.berth/headers";

    /** Calls a tool; over HTTP, {@code headers} go with the request (the W3C trace context, say). */
    CompletableFuture<McpSchema.CallToolResult> call(String tool, Map<String, Object> arguments,
            Map<String, Object> meta, Map<String, String> headers) {
        McpAsyncClient current = client.get();
        if (current == null) {
            connect();
            return CompletableFuture.failedFuture(unavailable("is not connected", null));
        }
        // The SDK completes on its own threads (HTTP client, reactor), whose context class loader is
        // not the application's: hand the outcome over to the callbacks executor, which has it.
        CompletableFuture<McpSchema.CallToolResult> outcome = new CompletableFuture<>();
        current.callTool(new McpSchema.CallToolRequest(tool, arguments, meta))
                .contextWrite(context -> headers.isEmpty() ? context
                        : context.put(McpTransportContext.KEY, McpTransportContext.create(Map.of(CALL_HEADERS, headers))))
                .toFuture()
                .whenComplete((result, error) -> callbacks.execute(() -> {
                    if (error != null) {
                        outcome.completeExceptionally(callFailure(current, error));
                    } else {
                        outcome.complete(result);
                    }
                }));
        return outcome;
    }

    private Throwable callFailure(McpAsyncClient used, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof McpError mcpError && mcpError.getJsonRpcError() != null) {
            // The server answered with a JSON-RPC error (unknown tool, invalid params): the connection is fine.
            return new ToolException("The tool server '" + settings.name() + "' refused the call: "
                    + mcpError.getJsonRpcError().message(), false, mcpError.toString(), mcpError);
        }
        lost(used, cause);
        return unavailable("did not answer", cause);
    }

    private ToolException unavailable(String what, Throwable cause) {
        return new ToolException("The tool server '" + settings.name() + "' " + what + "; try again shortly.",
                true, cause == null ? null : settings.describe() + ": " + McpError.aggregateExceptionMessages(cause), cause);
    }

    /** Drops a client that failed and connects again, unless another attempt is already under way. */
    private void lost(McpAsyncClient failed, Throwable cause) {
        if (client.compareAndSet(failed, null)) {
            LOG.warnf("MCP server %s (%s) failed: %s; reconnecting", settings.name(), settings.describe(),
                    McpError.aggregateExceptionMessages(cause));
            closeQuietly(failed);
            connect();
        }
    }

    private CompletableFuture<Void> connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        McpAsyncClient fresh;
        try {
            fresh = newClient();
        } catch (RuntimeException e) {
            connecting.set(false);
            retryLater(e);
            return CompletableFuture.completedFuture(null);
        }
        return fresh.initialize()
                .then(listAll(fresh))
                .toFuture()
                .handle((list, error) -> {
                    connecting.set(false);
                    if (error != null) {
                        closeQuietly(fresh);
                        retryLater(error);
                    } else if (closed) {
                        closeQuietly(fresh);
                    } else {
                        failures.set(0);
                        client.set(fresh);
                        update(list, "connected");
                    }
                    return null;
                });
    }

    private void retryLater(Throwable error) {
        if (closed) {
            return;
        }
        int attempt = failures.incrementAndGet();
        long delay = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempt - 1, 16));
        LOG.warnf("MCP server %s (%s) is unavailable: %s; next attempt in %d ms", settings.name(),
                settings.describe(), McpError.aggregateExceptionMessages(error), delay);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        McpAsyncClient current = client.get();
        if (current == null || closed) {
            return;
        }
        listAll(current).toFuture().whenComplete((list, error) -> {
            if (error != null) {
                lost(current, error);
            } else {
                update(list, "refreshed");
            }
        });
    }

    private Mono<List<McpSchema.Tool>> listAll(McpAsyncClient from) {
        return Mono.defer(() -> page(from, null, new ArrayList<>()));
    }

    private Mono<List<McpSchema.Tool>> page(McpAsyncClient from, String cursor, List<McpSchema.Tool> sofar) {
        return from.listTools(cursor).flatMap(result -> {
            if (result.tools() != null) {
                sofar.addAll(result.tools());
            }
            String next = result.nextCursor();
            return next == null || next.isEmpty() ? Mono.just(sofar) : page(from, next, sofar);
        });
    }

    private void update(List<McpSchema.Tool> list, String how) {
        Map<String, McpToolHandle> byName = new LinkedHashMap<>();
        for (McpSchema.Tool tool : list) {
            try {
                McpToolHandle handle = new McpToolHandle(tool, this, mapper, validator);
                McpToolHandle clash = byName.putIfAbsent(handle.name(), handle);
                if (clash != null) {
                    LOG.warnf("MCP server %s: tools '%s' and '%s' map to the same name %s; keeping the first",
                            settings.name(), clash.remoteName(), tool.name(), handle.name());
                }
            } catch (RuntimeException e) {
                LOG.warnf("MCP server %s: tool '%s' skipped: %s", settings.name(), tool.name(), e.getMessage());
            }
        }
        Map<String, McpToolHandle> previous = tools.getAndSet(Map.copyOf(byName));
        listedOnce = true;
        if (!previous.keySet().equals(byName.keySet())) {
            LOG.infof("MCP server %s %s (%s): tools %s", settings.name(), how, settings.describe(),
                    byName.keySet().stream().sorted().toList());
        }
    }

    private McpAsyncClient newClient() {
        return McpClient.async(transport())
                .clientInfo(new McpSchema.Implementation("berth", "1"))
                .requestTimeout(settings.requestTimeout())
                .initializationTimeout(settings.connectTimeout())
                .jsonSchemaValidator(validator)
                .toolsChangeConsumer(list -> Mono.fromRunnable(() -> update(list, "changed its tools")))
                .build();
    }

    private McpClientTransport transport() {
        if (settings.url().isPresent()) {
            URI url = settings.url().get();
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String base = url.getScheme() + "://" + url.getRawAuthority();
            return HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                    .jsonMapper(jsonMapper)
                    .connectTimeout(settings.connectTimeout())
                    .httpRequestCustomizer(McpServerConnection::addCallHeaders)
                    .build();
        }
        ServerParameters parameters = ServerParameters.builder(settings.command().orElseThrow())
                .args(settings.args())
                .build();
        StdioClientTransport stdio = new StdioClientTransport(parameters, jsonMapper);
        stdio.setStdErrorHandler(line -> LOG.debugf("MCP server %s stderr: %s", settings.name(), line));
        return stdio;
    }

    @SuppressWarnings("unchecked")
    private static void addCallHeaders(java.net.http.HttpRequest.Builder request, String method, URI endpoint,
            String body, McpTransportContext context) {
        Object headers = context == null ? null : context.get(CALL_HEADERS);
        if (headers instanceof Map<?, ?> map) {
            ((Map<String, String>) map).forEach(request::setHeader);
        }
    }

    @Override
    public void close() {
        closed = true;
        McpAsyncClient current = client.getAndSet(null);
        if (current != null) {
            try {
                current.closeGracefully().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                current.close();
            }
        }
    }

    private static void closeQuietly(McpAsyncClient stale) {
        stale.closeGracefully().onErrorResume(e -> Mono.empty()).subscribe();
    }
}
