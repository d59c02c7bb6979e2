package dev.berth.toolserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tool server as any MCP client sees it, over real HTTP. */
class BerthToolServerTest {

    public static class Tools {
        @Tool(description = "Adds two numbers.")
        public long add(long a, long b) {
            return a + b;
        }

        @Tool(description = "Tells the idempotency key of the call.")
        public String whoCalls(ToolContext context) {
            return context.idempotencyKey() + " attempt " + context.attempt();
        }

        @Tool(description = "Always refuses.", requiresApproval = true)
        public String refuse() {
            throw new ToolException("No, not today.");
        }

        @Tool(description = "Breaks.")
        public String breaks() {
            throw new IllegalStateException("secret internal detail");
        }
    }

    private BerthToolServer server;
    private McpSyncClient client;

    @BeforeEach
    void start() {
        server = BerthToolServer.builder().tools(new Tools()).host("127.0.0.1").port(0).start();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                        .endpoint("/mcp").jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper())).build())
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        client.initialize();
    }

    @AfterEach
    void stop() {
        client.closeGracefully();
        server.close();
    }

    @Test
    void listsTheToolsWithTheirGeneratedSchemas() {
        List<McpSchema.Tool> tools = client.listTools().tools();

        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("add", "who_calls", "refuse", "breaks");
        McpSchema.Tool add = tools.stream().filter(t -> t.name().equals("add")).findFirst().orElseThrow();
        assertThat(add.description()).isEqualTo("Adds two numbers.");
        assertThat(add.inputSchema().required()).containsExactlyInAnyOrder("a", "b");
        assertThat(add.inputSchema().additionalProperties()).isFalse();
        McpSchema.Tool refuse = tools.stream().filter(t -> t.name().equals("refuse")).findFirst().orElseThrow();
        assertThat(refuse.meta()).containsEntry("dev.berth/requiresApproval", true);
    }

    @Test
    void callsATool() {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 40)));

        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("42");
    }

    @Test
    void theContextCarriesTheIdsBerthSendsInMeta() {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("who_calls", Map.of(),
                Map.of("dev.berth/idempotencyKey", "run-1:call-1", "dev.berth/attempt", 2)));

        assertThat(text(result)).isEqualTo("run-1:call-1 attempt 2");
    }

    @Test
    void invalidArgumentsAreAnErrorResultThatNamesTheField() {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", "two", "b", 1)));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("'a'").contains("Invalid arguments for tool 'add'");
    }

    @Test
    void failuresAreErrorResultsWithoutInternalDetails() {
        McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("refuse", Map.of()));
        McpSchema.CallToolResult broken = client.callTool(new McpSchema.CallToolRequest("breaks", Map.of()));

        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo("No, not today.");
        assertThat(broken.isError()).isTrue();
        assertThat(text(broken)).isEqualTo("The tool 'breaks' failed with an internal error.").doesNotContain("secret");
    }

    @Test
    void refusesToStartWithoutTools() {
        assertThatThrownBy(() -> BerthToolServer.builder().port(0).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one tool");
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
