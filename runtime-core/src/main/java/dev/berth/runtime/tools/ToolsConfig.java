package dev.berth.runtime.tools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where tools come from besides the in-process {@link dev.berth.tool.ToolProvider} beans:
 * plugin jars in a directory and MCP servers. Read once at start.
 */
@ConfigMapping(prefix = "berth.tools")
public interface ToolsConfig {

    /**
     * The directory of plugin jars, loaded at start: each {@code *.jar} in it is one plugin,
     * and each subdirectory is one plugin made of the jars it holds. A missing directory
     * means no plugins.
     */
    @WithDefault("./tools")
    String pluginDir();

    /**
     * Whether a plugin that cannot be loaded stops Berth from starting. By default it is
     * reported (an ERROR log naming the jar and the reason) and skipped.
     */
    @WithDefault("false")
    boolean pluginFailFast();

    /**
     * MCP servers whose tools agents may use, by server name: {@code berth.tools.mcp.<name>.url}
     * or {@code berth.tools.mcp.<name>.command}. Their tools are named {@code <name>__<tool>}.
     */
    Map<String, McpServer> mcp();

    /**
     * Execution policy per tool name ({@code berth.tools.policy.<tool>.max-concurrent=2}); each
     * key left out takes the default from {@code berth.engine.tool-*}.
     */
    Map<String, Policy> policy();

    /** Overrides of the execution policy of one tool. */
    interface Policy {

        /** How long one try may take. */
        Optional<Duration> timeout();

        /** How often a retryable failure is tried again. */
        Optional<Integer> maxRetries();

        /** The pause before the first retry; doubled for each further retry. */
        Optional<Duration> retryBackoff();

        /** The most executions of this tool at once in one process (0: no limit, the default). */
        Optional<Integer> maxConcurrent();

        /** Longer output is truncated with a marker. */
        Optional<Integer> maxOutputChars();
    }

    /** One MCP server: either {@link #url()} (streamable HTTP) or {@link #command()} (stdio). */
    interface McpServer {

        /** The streamable HTTP endpoint, e.g. {@code http://tools.internal:8090/mcp}. */
        Optional<String> url();

        /** The program to start for the stdio transport; it inherits Berth's environment. */
        Optional<String> command();

        /** The arguments of {@link #command()}. */
        Optional<List<String>> args();

        /** How long one MCP request (a tool call, a list) may take before it fails. */
        @WithDefault("60s")
        Duration requestTimeout();

        /** How long the first connection may take at start before Berth goes on without it. */
        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * How often the tool list is fetched again, besides the server's own
         * {@code notifications/tools/list_changed}.
         */
        @WithDefault("5m")
        Duration refreshInterval();

        /** Whether every tool of this server needs a human's approval before it runs. */
        @WithDefault("false")
        boolean requiresApproval();
    }
}
