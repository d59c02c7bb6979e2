package dev.berth.runtime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.tools.TraceHeaders;
import dev.berth.tool.InvalidArgumentsException;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolHandle;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One tool of an MCP server, offered as {@code <server>__<tool>}. The arguments are checked
 * against the server's {@code inputSchema} before the call, so the model gets the same kind of
 * correction as for in-process tools; the call is a {@code tools/call} with Berth's ids in
 * {@code _meta}; a result with {@code isError} fails with a {@link ToolException} carrying the
 * server's text. Asynchronous: {@link #invoke} never blocks.
 */
final class McpToolHandle implements ToolHandle {
    static final String REQUIRES_APPROVAL = McpCallMeta.PREFIX + "requiresApproval";
    private final String name;
    private final McpSchema.Tool tool;
    private final McpServerConnection connection;
    private final ObjectNode schema;
    private final Map<String, Object> schemaMap;
    private final boolean strict;
    private final ObjectMapper mapper;
    private final JsonSchemaValidator validator;

    McpToolHandle(McpSchema.Tool tool, McpServerConnection connection, ObjectMapper mapper,
            JsonSchemaValidator validator) {
        this.name = McpToolNames.qualified(connection.settings().name(), tool.name());
        this.tool = tool;
        this.connection = connection;
        this.mapper = mapper;
        this.validator = validator;
        this.schema = McpSchemas.parameters(tool, mapper);
        this.schemaMap = McpSchemas.asMap(schema, mapper);
        this.strict = McpSchemas.strictCompatible(schema);
    }

    /** The tool's name on its server. */
    String remoteName() {
        return tool.name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        String text = tool.description() != null && !tool.description().isBlank() ? tool.description() : tool.title();
        return text != null && !text.isBlank() ? text : tool.name();
    }

    @Override
    public ObjectNode parametersSchema() {
        return schema.deepCopy();
    }

    @Override
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean requiresApproval() {
        // Berth's own tool server marks tools declared with @Tool(requiresApproval = true).
        return connection.settings().requiresApproval()
                || (tool.meta() != null && Boolean.TRUE.equals(tool.meta().get(REQUIRES_APPROVAL)));
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public CompletionStage<String> invoke(JsonNode arguments, ToolContext context) {
        Map<String, Object> args;
        try {
            args = checkedArguments(arguments);
        } catch (InvalidArgumentsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connection.call(tool.name(), args, McpCallMeta.of(context), TraceHeaders.of(context))
                .thenApply(result -> {
                    String text = McpResults.text(result, mapper);
                    if (Boolean.TRUE.equals(result.isError())) {
                        throw new ToolException(text.isBlank() ? "The tool '" + name + "' failed." : text);
                    }
                    return text;
                });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> checkedArguments(JsonNode arguments) {
        JsonNode node = arguments == null || arguments.isNull() || arguments.isMissingNode()
                ? mapper.createObjectNode() : arguments;
        if (!node.isObject()) {
            throw new InvalidArgumentsException("Invalid arguments for tool '" + name
                    + "': expected a JSON object. Correct the arguments and call the tool again.");
        }
        Map<String, Object> args = mapper.convertValue(node, Map.class);
        JsonSchemaValidator.ValidationResponse check = validator.validate(schemaMap, args);
        if (!check.valid()) {
            throw new InvalidArgumentsException("Invalid arguments for tool '" + name + "': "
                    + check.errorMessage() + ". Correct the arguments and call the tool again.");
        }
        return args;
    }
}
