package dev.berth.runtime.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.tools.ToolSource;
import dev.berth.runtime.tools.ToolsConfig;
import dev.berth.tool.ToolHandle;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The tools of the MCP servers configured under {@code berth.tools.mcp.<name>}, offered as
 * {@code <name>__<tool>}. Connects to every server at start, waiting for each at most its
 * {@code connect-timeout}; a server that is not there yet is retried in the background, and
 * its tool names are accepted in agent definitions meanwhile (see {@link #mayProvide}).
 * A misconfigured server (both or neither of url and command, a bad name) stops the start.
 */
@ApplicationScoped
public class McpToolSource implements ToolSource {
    private static final Logger LOG = Logger.getLogger(McpToolSource.class);

    private final ToolsConfig config;
    private volatile List<McpServerConnection> connections = List.of();
    private ScheduledExecutorService scheduler;

    @Inject
    public McpToolSource(ToolsConfig config) {
        this.config = config;
    }

    /** Connects at start, so tools are there for the first run and problems show in the start-up log. */
    void onStart(@Observes @Priority(10) Startup started) {
        connections.size();
    }

    @PostConstruct
    void connect() {
        Map<String, ToolsConfig.McpServer> servers = new TreeMap<>(config.mcp());
        if (servers.isEmpty()) {
            return;
        }
        List<McpServerSettings> settings = servers.entrySet().stream()
                .map(e -> McpServerSettings.from(e.getKey(), e.getValue()))
                .toList();
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("berth-mcp").factory());
        ObjectMapper mapper = new ObjectMapper();
        McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
        JsonSchemaValidator validator = new DefaultJsonSchemaValidator(mapper);
        Executor callbacks = applicationThreads(Thread.currentThread().getContextClassLoader());
        List<CompletableFuture<Void>> first = new ArrayList<>();
        List<McpServerConnection> opened = new ArrayList<>();
        for (McpServerSettings server : settings) {
            LOG.infof("Connecting to MCP server %s (%s)", server.name(), server.describe());
            McpServerConnection connection = new McpServerConnection(server, mapper, jsonMapper, validator, scheduler,
                    callbacks);
            opened.add(connection);
            first.add(connection.start()
                    .completeOnTimeout(null, server.connectTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        connections = List.copyOf(opened);
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();
        for (McpServerConnection connection : connections) {
            if (!connection.connected()) {
                LOG.warnf("MCP server %s is not available yet; its tools will be offered once it is",
                        connection.settings().name());
            }
        }
    }

    /**
     * Virtual threads with the application's context class loader, on which tool call outcomes
     * complete: the engine goes on from there, and libraries it uses (context propagation)
     * look services up through that loader.
     */
    private static Executor applicationThreads(ClassLoader application) {
        ThreadFactory virtual = Thread.ofVirtual().name("berth-mcp-call-", 0).factory();
        return task -> {
            Thread thread = virtual.newThread(task);
            thread.setContextClassLoader(application);
            thread.start();
        };
    }

    @PreDestroy
    void close() {
        connections.forEach(McpServerConnection::close);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public Collection<ToolHandle> tools() {
        List<ToolHandle> all = new ArrayList<>();
        connections.forEach(connection -> all.addAll(connection.tools().values()));
        return all;
    }

    @Override
    public Optional<ToolHandle> find(String name) {
        for (McpServerConnection connection : connections) {
            McpToolHandle handle = connection.tools().get(name);
            if (handle != null) {
                return Optional.of(handle);
            }
        }
        return Optional.empty();
    }

    /** A name of a configured server whose list Berth could not fetch yet: it cannot be checked. */
    @Override
    public boolean mayProvide(String name) {
        return connections.stream().anyMatch(connection -> !connection.listedOnce()
                && McpToolNames.belongsTo(name, connection.settings().name()));
    }
}
