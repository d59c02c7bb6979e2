package dev.berth.toolserver.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.tool.InvalidArgumentsException;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolHandle;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Serves one SDK tool over MCP: its name, description and
 * {@link ToolHandle#parametersSchema() schema} become the MCP tool, and a {@code tools/call}
 * invokes the handle (blocking tools on a virtual thread). Every failure is a result with
 * {@code isError}: invalid arguments and {@link ToolException}s with their message for the
 * model, anything else with a generic message (the exception is logged here, not sent).
 */
public final class McpToolAdapter {
    /** {@code _meta} key of an MCP tool that needs a human's approval; Berth honours it. */
    public static final String REQUIRES_APPROVAL = MetaToolContext.PREFIX + "requiresApproval";
    private static final Logger LOG = LoggerFactory.getLogger(McpToolAdapter.class);

    private final ObjectMapper mapper;
    private final McpJsonMapper jsonMapper;
    private final Scheduler blockingScheduler;

    public McpToolAdapter(ObjectMapper mapper, McpJsonMapper jsonMapper, ExecutorService virtualThreads) {
        this.mapper = mapper;
        this.jsonMapper = jsonMapper;
        this.blockingScheduler = Schedulers.fromExecutorService(virtualThreads, "berth-tool-server-blocking");
    }

    public McpServerFeatures.AsyncToolSpecification specification(ToolHandle handle) {
        McpSchema.Tool.Builder tool = McpSchema.Tool.builder()
                .name(handle.name())
                .description(handle.description())
                .inputSchema(jsonMapper, write(handle.parametersSchema()));
        if (handle.requiresApproval()) {
            tool.meta(Map.of(REQUIRES_APPROVAL, true));
        }
        return McpServerFeatures.AsyncToolSpecification.builder()
                .tool(tool.build())
                .callHandler((exchange, request) -> call(handle, request))
                .build();
    }

    Mono<McpSchema.CallToolResult> call(ToolHandle handle, McpSchema.CallToolRequest request) {
        JsonNode arguments = mapper.valueToTree(request.arguments() == null ? Map.of() : request.arguments());
        MetaToolContext context = new MetaToolContext(request.meta());
        Mono<String> output = Mono.fromCompletionStage(() -> handle.invoke(arguments, context));
        if (handle.blocking()) {
            output = output.subscribeOn(blockingScheduler);
        }
        return output
                .map(text -> result(text, false))
                .onErrorResume(error -> Mono.just(result(describe(handle, unwrap(error)), true)));
    }

    private String describe(ToolHandle handle, Throwable error) {
        if (error instanceof InvalidArgumentsException) {
            return error.getMessage();
        }
        if (error instanceof ToolException toolError) {
            if (toolError.operatorDetail() != null) {
                LOG.warn("Tool {} failed: {}", handle.name(), toolError.operatorDetail());
            }
            return toolError.getMessage();
        }
        LOG.error("Tool {} threw an unexpected exception", handle.name(), error);
        return "The tool '" + handle.name() + "' failed with an internal error.";
    }

    private static McpSchema.CallToolResult result(String text, boolean error) {
        return McpSchema.CallToolResult.builder().addTextContent(text == null ? "" : text).isError(error).build();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private String write(JsonNode schema) {
        try {
            return mapper.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tool schema is always serialisable", e);
        }
    }
}
