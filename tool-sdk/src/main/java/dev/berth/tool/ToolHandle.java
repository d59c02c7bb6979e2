package dev.berth.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.tool.internal.ToolArguments;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One tool found by {@link ToolScanner}: its definition for the model and a way to call it.
 *
 * <p>Threading: immutable and thread safe; {@link #invoke} may be called concurrently.
 * A {@link #blocking() blocking} tool runs on the thread that calls {@code invoke}, so the
 * runtime calls it from a virtual thread; an asynchronous tool returns at once.
 *
 * <p>Errors: {@code invoke} never throws; every failure completes the returned stage
 * exceptionally with the exception itself (not wrapped in a {@code CompletionException}).
 */
public interface ToolHandle {

    String name();

    String description();

    /**
     * JSON schema of the arguments object, strict-mode compatible: every property is
     * required, optional ones admit {@code null}, no additional properties. Each call
     * returns a fresh copy that the caller may change.
     */
    ObjectNode parametersSchema();

    /**
     * Whether {@link #parametersSchema()} may be sent with {@code "strict": true}. Always
     * true for tools found by {@link ToolScanner}; other implementations (tools from MCP
     * servers, for example) may have free-form schemas.
     */
    default boolean strict() {
        return true;
    }

    boolean requiresApproval();

    /** Whether {@link #invoke} blocks the calling thread (the caller then uses a virtual thread). */
    boolean blocking();

    /**
     * Validates the arguments against the schema, binds them to the method's parameters and
     * calls it. A null or missing node counts as {@code {}}; a text node is parsed as the
     * arguments text (as in the {@code arguments} field of an OpenAI function call).
     *
     * @param context passed to a {@link ToolContext} parameter, if the tool declares one
     * @return the result as text for the model: a returned {@code String} as is, {@code void}
     *         (or {@code CompletionStage<Void>}) as {@code "ok"}, anything else as JSON. The
     *         stage fails with {@link InvalidArgumentsException} when the arguments do not fit
     *         the schema (the tool was not called; the message tells the model what to fix),
     *         with {@link ToolException} when the tool reports a failure, and with the tool's
     *         own exception otherwise.
     */
    CompletionStage<String> invoke(JsonNode arguments, ToolContext context);

    /**
     * Like {@link #invoke(JsonNode, ToolContext)}, for the arguments as the model wrote them
     * (a JSON text). Text that is not JSON, or repeats a key, fails the stage with an
     * {@link InvalidArgumentsException} that quotes the parse error; blank text counts as
     * {@code {}}.
     */
    default CompletionStage<String> invokeJson(String argumentsJson, ToolContext context) {
        JsonNode arguments;
        try {
            arguments = ToolArguments.parse(name(), argumentsJson);
        } catch (InvalidArgumentsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return invoke(arguments, context);
    }
}
