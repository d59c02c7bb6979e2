package dev.berth.runtime.tools.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolHandle;
import java.util.concurrent.CompletionStage;

/**
 * A plugin's tool, called with the plugin's class loader as the thread's context class
 * loader, so libraries that look things up through it (ServiceLoader, JAXB, logging) find
 * the plugin's own resources.
 */
final class ContextClassLoaderToolHandle implements ToolHandle {
    private final ToolHandle delegate;
    private final ClassLoader loader;

    ContextClassLoaderToolHandle(ToolHandle delegate, ClassLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public ObjectNode parametersSchema() {
        return delegate.parametersSchema();
    }

    @Override
    public boolean strict() {
        return delegate.strict();
    }

    @Override
    public boolean requiresApproval() {
        return delegate.requiresApproval();
    }

    @Override
    public boolean blocking() {
        return delegate.blocking();
    }

    @Override
    public CompletionStage<String> invoke(JsonNode arguments, ToolContext context) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return delegate.invoke(arguments, context);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
