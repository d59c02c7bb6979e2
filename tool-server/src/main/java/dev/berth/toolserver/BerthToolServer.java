package dev.berth.toolserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.tool.ToolHandle;
import dev.berth.tool.ToolScanner;
import dev.berth.toolserver.internal.McpToolAdapter;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An MCP server (streamable HTTP transport) that serves tools written with the Berth tool
 * SDK, so they can run as a service of their own and be used by Berth, or by any MCP client.
 *
 * <pre>{@code
 * BerthToolServer server = BerthToolServer.builder()
 *         .tools(new ShopTools(orders, stock))
 *         .port(8090)
 *         .start();                       // serves http://0.0.0.0:8090/mcp
 * }</pre>
 *
 * <p>Tools are scanned with {@link ToolScanner} (a wrongly declared tool fails {@code start}),
 * offered with their generated schemas, and called like Berth calls them in process:
 * arguments are validated first, blocking tools run on virtual threads. The
 * {@link dev.berth.tool.ToolContext} carries the ids Berth sends in {@code _meta}
 * (idempotency key, session, run, actor); the session's state is not available remotely.
 *
 * <p>Lifecycle: {@link Builder#start()} returns a running server; {@link #close()} stops it.
 * Thread safe.
 */
public final class BerthToolServer implements AutoCloseable {
    private final Server jetty;
    private final McpAsyncServer mcp;
    private final ExecutorService virtualThreads;
    private final URI endpoint;
    private final List<String> toolNames;

    private BerthToolServer(Server jetty, McpAsyncServer mcp, ExecutorService virtualThreads, URI endpoint,
            List<String> toolNames) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.virtualThreads = virtualThreads;
        this.endpoint = endpoint;
        this.toolNames = toolNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the one chosen by the system when asked for port 0). */
    public int port() {
        return endpoint.getPort();
    }

    /** The MCP endpoint as seen from this host, e.g. {@code http://localhost:8090/mcp}. */
    public URI endpoint() {
        return endpoint;
    }

    public List<String> toolNames() {
        return toolNames;
    }

    /** Blocks until the server stops, for a {@code main} that only serves tools. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            mcp.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            mcp.close();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the tool server did not stop cleanly", e);
        } finally {
            virtualThreads.shutdownNow();
        }
    }

    /** Configures a {@link BerthToolServer}; not thread safe, use once. */
    public static final class Builder {
        private final List<ToolHandle> tools = new ArrayList<>();
        private String host = "0.0.0.0";
        private int port = 8090;
        private String path = "/mcp";
        private String name = "berth-tool-server";
        private String version = "1";

        private Builder() {
        }

        /** Objects whose {@code @Tool} methods are served; scanned now, so mistakes show here. */
        public Builder tools(Object... toolObjects) {
            for (Object toolObject : toolObjects) {
                tools.addAll(ToolScanner.scan(Objects.requireNonNull(toolObject, "toolObject")));
            }
            return this;
        }

        /** Tools already turned into handles (by {@link ToolScanner} or your own implementation). */
        public Builder handles(List<? extends ToolHandle> handles) {
            tools.addAll(handles);
            return this;
        }

        /** The port to listen on; 0 picks a free one. Default 8090. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to listen on. Default {@code 0.0.0.0}, every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The path of the MCP endpoint. Default {@code /mcp}. */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', got " + path);
            }
            this.path = path;
            return this;
        }

        /** The name and version the server gives MCP clients when they connect. */
        public Builder serverInfo(String name, String version) {
            this.name = Objects.requireNonNull(name, "name");
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Starts serving.
         *
         * @throws IllegalArgumentException when there is no tool or two tools share a name
         * @throws IllegalStateException when the port cannot be bound
         */
        public BerthToolServer start() {
            List<String> names = requireUniqueNames();
            ObjectMapper mapper = new ObjectMapper();
            McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
            ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
            McpToolAdapter adapter = new McpToolAdapter(mapper, jsonMapper, virtualThreads);
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(jsonMapper)
                    .mcpEndpoint(path)
                    .build();
            List<McpServerFeatures.AsyncToolSpecification> specifications = tools.stream()
                    .map(adapter::specification)
                    .toList();
            McpAsyncServer mcp = McpServer.async(transport)
                    .serverInfo(name, version)
                    .jsonMapper(jsonMapper)
                    .jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(specifications)
                    .build();
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost(host);
            connector.setPort(port);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            ServletHolder servlet = new ServletHolder("mcp", transport);
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, path);
            jetty.setHandler(context);
            try {
                jetty.start();
            } catch (Exception e) {
                mcp.close();
                virtualThreads.shutdownNow();
                throw new IllegalStateException("the tool server could not listen on " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
            String visibleHost = "0.0.0.0".equals(host) ? "localhost" : host;
            URI endpoint = URI.create("http://" + visibleHost + ":" + connector.getLocalPort() + path);
            return new BerthToolServer(jetty, mcp, virtualThreads, endpoint, names);
        }

        private List<String> requireUniqueNames() {
            if (tools.isEmpty()) {
                throw new IllegalArgumentException("a tool server needs at least one tool: call tools(...)");
            }
            TreeSet<String> names = new TreeSet<>();
            for (ToolHandle tool : tools) {
                if (!names.add(tool.name())) {
                    throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
                }
            }
            return List.copyOf(names);
        }
    }
}
