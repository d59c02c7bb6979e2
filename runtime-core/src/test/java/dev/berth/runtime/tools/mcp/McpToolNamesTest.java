package dev.berth.runtime.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class McpToolNamesTest {

    @Test
    void aPlainToolNameIsPrefixedWithItsServer() {
        assertThat(McpToolNames.qualified("everything", "echo")).isEqualTo("everything__echo");
        assertThat(McpToolNames.qualified("everything", "get-roots-list")).isEqualTo("everything__get-roots-list");
    }

    @Test
    void invalidCharactersAreReplacedAndAHashKeepsNamesDistinct() {
        String dotted = McpToolNames.qualified("fs", "read.file");
        String slashed = McpToolNames.qualified("fs", "read/file");

        assertThat(dotted).matches("fs__read_file_[0-9a-f]{8}");
        assertThat(slashed).matches("fs__read_file_[0-9a-f]{8}");
        assertThat(dotted).isNotEqualTo(slashed);
    }

    @Test
    void longNamesAreCutTo64CharactersStably() {
        String longName = "a".repeat(80);

        String qualified = McpToolNames.qualified("server", longName);

        assertThat(qualified).hasSize(64).matches("[a-zA-Z0-9_-]+").startsWith("server__aaa");
        assertThat(McpToolNames.qualified("server", longName)).isEqualTo(qualified);
        assertThat(McpToolNames.qualified("server", longName + "b")).isNotEqualTo(qualified);
    }

    @Test
    void serverNamesMustBePlain() {
        assertThatThrownBy(() -> McpToolNames.requireValidServerName("my__server"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'my__server'");
        assertThatThrownBy(() -> McpToolNames.requireValidServerName("a.b"))
                .isInstanceOf(IllegalArgumentException.class);
        McpToolNames.requireValidServerName("desk-1_eu");
    }

    @Test
    void aNameBelongsToTheServerOfItsPrefix() {
        assertThat(McpToolNames.belongsTo("desk__open", "desk")).isTrue();
        assertThat(McpToolNames.belongsTo("desk__", "desk")).isFalse();
        assertThat(McpToolNames.belongsTo("desktop__open", "desk")).isFalse();
    }
}
