package dev.berth.runtime.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.tools.ToolsConfig;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolHandle;
import dev.berth.toolserver.BerthToolServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MCP client against a real MCP server (a BerthToolServer), over streamable HTTP. */
class McpToolSourceTest {

    public static class Calculator {
        @Tool(description = "Adds two integers.")
        public long add(long a, long b) {
            return a + b;
        }
    }

    private McpToolSource source;
    private BerthToolServer server;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServersToolsAreOfferedWithPrefixedNamesAndCalled() {
        // Given a tool server and Berth configured with it
        server = start(0);
        source = connect(Map.of("berth.tools.mcp.calc.url", server.endpoint().toString()));

        // When its tool is looked up and called
        ToolHandle add = source.find("calc__add").orElseThrow();

        // Then it has the server's strict schema and answers
        assertThat(add.strict()).isTrue();
        assertThat(add.parametersSchema().get("required")).hasSize(2);
        assertThat(call(add, "{\"a\":40,\"b\":2}")).isEqualTo("42");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTheServerIsCalled() {
        server = start(0);
        source = connect(Map.of("berth.tools.mcp.calc.url", server.endpoint().toString()));

        assertThatThrownBy(() -> call(source.find("calc__add").orElseThrow(), "{\"a\":1}"))
                .hasRootCauseInstanceOf(dev.berth.tool.InvalidArgumentsException.class)
                .rootCause().hasMessageStartingWith("Invalid arguments for tool 'calc__add'").hasMessageContaining("b");
    }

    @Test
    void aServerThatRestartsIsReconnectedAndItsToolsWorkAgain() throws Exception {
        // Given a connected server
        server = start(0);
        int port = server.port();
        source = connect(Map.of("berth.tools.mcp.calc.url", server.endpoint().toString()));
        ToolHandle add = source.find("calc__add").orElseThrow();

        // When it goes away, a call fails with a retryable error for the model
        server.close();
        server = null;
        assertThatThrownBy(() -> call(add, "{\"a\":1,\"b\":2}"))
                .cause().isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("'calc'");
                });

        // Then once it is back on its address, Berth reconnects and the same tool works again
        server = start(port);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> assertThat(call(add, "{\"a\":1,\"b\":2}")).isEqualTo("3"));
    }

    @Test
    void aServerThatIsDownAtStartDoesNotStopBerthAndItsNamesAreAccepted() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        source = connect(Map.of("berth.tools.mcp.later.url", "http://127.0.0.1:" + unused + "/mcp",
                "berth.tools.mcp.later.connect-timeout", "2s"));

        assertThat(source.find("later__anything")).isEmpty();
        assertThat(source.mayProvide("later__anything")).isTrue();
        assertThat(source.mayProvide("other__anything")).isFalse();
    }

    @Test
    void serversCanBeConfiguredWithEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ToolsConfig.class)
                .withConverter(Duration.class, 100, McpToolSourceTest::duration)
                .withSources(new io.smallrye.config.EnvConfigSource(
                        Map.of("BERTH_TOOLS_MCP_DESK_URL", "http://h:1/mcp", "BERTH_TOOLS_PLUGIN_DIR", "/opt/tools"), 300))
                .build();

        ToolsConfig tools = config.getConfigMapping(ToolsConfig.class);

        assertThat(tools.pluginDir()).isEqualTo("/opt/tools");
        assertThat(tools.mcp()).containsOnlyKeys("desk");
        assertThat(tools.mcp().get("desk").url()).contains("http://h:1/mcp");
    }

    /** Quarkus reads "10s" as ten seconds; plain SmallRye Config needs to be told. */
    private static Duration duration(String value) {
        String number = value.substring(0, value.length() - 1);
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(Long.parseLong(number));
            case 'm' -> Duration.ofMinutes(Long.parseLong(number));
            default -> Duration.parse(value);
        };
    }

    private static BerthToolServer start(int port) {
        return BerthToolServer.builder().tools(new Calculator()).host("127.0.0.1").port(port).start();
    }

    private static McpToolSource connect(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ToolsConfig.class)
                .withConverter(Duration.class, 100, McpToolSourceTest::duration)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        McpToolSource source = new McpToolSource(config.getConfigMapping(ToolsConfig.class));
        source.connect();
        return source;
    }

    /** Calls as the executor does, without a run: a failure surfaces as a CompletionException. */
    private static String call(ToolHandle handle, String arguments) {
        return handle.invokeJson(arguments, null).toCompletableFuture().join();
    }
}
