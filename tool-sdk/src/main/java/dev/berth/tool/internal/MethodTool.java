package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A {@link ToolHandle} that calls a {@code @Tool} method by reflection. Immutable and
 * thread safe; {@link #invoke} never throws, every failure arrives through the stage.
 */
final class MethodTool implements ToolHandle {

    /** What {@link MethodToolFactory} derived from the method; {@code async} = returns a stage. */
    record Definition(String name, String description, ObjectNode schema, boolean requiresApproval,
                      boolean async, boolean returnsNothing) {
    }

    private final Object target;
    private final Method method;
    private final Definition definition;
    private final ArgumentBinder binder;

    MethodTool(Object target, Method method, Definition definition, ArgumentBinder binder) {
        this.target = target;
        this.method = method;
        this.definition = definition;
        this.binder = binder;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String description() {
        return definition.description();
    }

    @Override
    public ObjectNode parametersSchema() {
        // A copy: callers may decorate the schema, and this handle is shared.
        return definition.schema().deepCopy();
    }

    @Override
    public boolean requiresApproval() {
        return definition.requiresApproval();
    }

    @Override
    public boolean blocking() {
        return !definition.async();
    }

    @Override
    public CompletionStage<String> invoke(JsonNode arguments, ToolContext context) {
        try {
            Object result = call(binder.bind(arguments, context));
            if (!definition.async()) {
                return CompletableFuture.completedFuture(render(result));
            }
            if (result == null) {
                throw new IllegalStateException("tool '" + name() + "' returned null instead of a CompletionStage");
            }
            return whenDone((CompletionStage<?>) result);
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private CompletionStage<String> whenDone(CompletionStage<?> stage) {
        CompletableFuture<String> done = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                done.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                done.complete(render(value));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private Object call(Object[] values) throws Throwable {
        try {
            return method.invoke(target, values);
        } catch (InvocationTargetException e) {
            // The tool's own exception, as the tool threw it: callers classify on its type.
            throw e.getCause();
        }
    }

    private String render(Object result) {
        return ResultWriter.render(result, definition.returnsNothing(), name());
    }

    /** Futures wrap failures on their way through; the caller wants what the tool threw. */
    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    @Override
    public String toString() {
        return "MethodTool[" + name() + " -> " + method.getDeclaringClass().getName() + "#" + method.getName() + "]";
    }
}
