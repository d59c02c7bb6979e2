package dev.berth.runtime.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class McpServerSettingsTest {
    private static final Duration S = Duration.ofSeconds(1);

    @Test
    void aServerHasAUrlOrACommand() {
        McpServerSettings http = new McpServerSettings("desk", Optional.of(URI.create("http://h:1/mcp")),
                Optional.empty(), List.of(), S, S, S, false);
        McpServerSettings stdio = new McpServerSettings("fs", Optional.empty(), Optional.of("npx"),
                List.of("server"), S, S, S, false);

        assertThat(http.describe()).isEqualTo("streamable HTTP http://h:1/mcp");
        assertThat(stdio.describe()).isEqualTo("stdio npx server");
    }

    @Test
    void bothOrNeitherIsRefusedWithTheKeysToSet() {
        assertThatThrownBy(() -> new McpServerSettings("desk", Optional.empty(), Optional.empty(), List.of(), S, S, S,
                false)).hasMessageContaining("berth.tools.mcp.desk.url").hasMessageContaining("berth.tools.mcp.desk.command");
        assertThatThrownBy(() -> new McpServerSettings("desk", Optional.of(URI.create("http://h/mcp")),
                Optional.of("x"), List.of(), S, S, S, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyHttpUrlsAndPositiveDurations() {
        assertThatThrownBy(() -> new McpServerSettings("desk", Optional.of(URI.create("ftp://h/mcp")),
                Optional.empty(), List.of(), S, S, S, false)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> new McpServerSettings("desk", Optional.of(URI.create("http://h/mcp")),
                Optional.empty(), List.of(), Duration.ZERO, S, S, false)).hasMessageContaining("request-timeout");
    }
}
