package dev.berth.runtime.tools.mcp;

import dev.berth.runtime.tools.ToolsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured MCP server, validated: exactly one of a streamable HTTP {@code url} and a
 * stdio {@code command}.
 */
public record McpServerSettings(String name, Optional<URI> url, Optional<String> command, List<String> args,
        Duration requestTimeout, Duration connectTimeout, Duration refreshInterval, boolean requiresApproval) {

    public McpServerSettings {
        Objects.requireNonNull(name, "name");
        McpToolNames.requireValidServerName(name);
        args = args == null ? List.of() : List.copyOf(args);
        if (url.isPresent() == command.isPresent()) {
            throw new IllegalArgumentException("MCP server '" + name + "': set exactly one of berth.tools.mcp."
                    + name + ".url (streamable HTTP) and berth.tools.mcp." + name + ".command (stdio)");
        }
        url.ifPresent(u -> {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("MCP server '" + name + "': url must be http or https, got " + u);
            }
        });
        requirePositive(name, "request-timeout", requestTimeout);
        requirePositive(name, "connect-timeout", connectTimeout);
        requirePositive(name, "refresh-interval", refreshInterval);
    }

    public static McpServerSettings from(String name, ToolsConfig.McpServer config) {
        Optional<URI> url;
        try {
            url = config.url().filter(u -> !u.isBlank()).map(URI::create);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MCP server '" + name + "': url is not a URI: " + e.getMessage(), e);
        }
        return new McpServerSettings(name, url, config.command().filter(c -> !c.isBlank()),
                config.args().orElse(List.of()), config.requestTimeout(), config.connectTimeout(),
                config.refreshInterval(), config.requiresApproval());
    }

    /** How the server is reached, for logs. */
    public String describe() {
        return url.map(u -> "streamable HTTP " + u)
                .orElseGet(() -> "stdio " + command.orElseThrow() + (args.isEmpty() ? "" : " " + String.join(" ", args)));
    }

    private static void requirePositive(String name, String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("MCP server '" + name + "': " + key + " must be positive");
        }
    }
}
