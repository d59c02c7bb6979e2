package dev.berth.runtime.tools.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The text the model reads for an MCP {@code tools/call} result: the text contents joined by
 * new lines, short placeholders for binary contents (the model API takes text tool outputs),
 * and the structured content as JSON when there is no text.
 */
final class McpResults {
    private McpResults() {
    }

    static String text(McpSchema.CallToolResult result, ObjectMapper mapper) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                parts.add(describe(content));
            }
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            try {
                parts.add(mapper.writeValueAsString(result.structuredContent()));
            } catch (JsonProcessingException e) {
                parts.add(String.valueOf(result.structuredContent()));
            }
        }
        return String.join("\n", parts);
    }

    private static String describe(McpSchema.Content content) {
        if (content instanceof McpSchema.TextContent text) {
            return text.text();
        }
        if (content instanceof McpSchema.ImageContent image) {
            return "[image " + image.mimeType() + ", not shown]";
        }
        if (content instanceof McpSchema.AudioContent audio) {
            return "[audio " + audio.mimeType() + ", not shown]";
        }
        if (content instanceof McpSchema.EmbeddedResource embedded) {
            if (embedded.resource() instanceof McpSchema.TextResourceContents text) {
                return text.text();
            }
            return "[resource " + embedded.resource().uri() + ", binary, not shown]";
        }
        if (content instanceof McpSchema.ResourceLink link) {
            return "[resource link " + link.uri() + (link.name() == null ? "" : " (" + link.name() + ")") + "]";
        }
        return "[" + content.type() + " content, not shown]";
    }
}
