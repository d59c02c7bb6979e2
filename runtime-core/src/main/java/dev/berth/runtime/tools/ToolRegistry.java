package dev.berth.runtime.tools;

import dev.berth.model.ToolDefinition;
import dev.berth.tool.ToolHandle;
import dev.berth.tool.ToolProvider;
import dev.berth.tool.ToolScanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The tools this process can execute, by name: every {@link ToolProvider} bean's
 * {@code @Tool} methods (built once at start, immutable), then the tools of every
 * {@link ToolSource} bean (plugin jars, MCP servers), whose lists may change. An in-process
 * tool wins over a source's tool of the same name. Thread safe.
 */
@ApplicationScoped
public class ToolRegistry {
    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);

    private final Map<String, ToolHandle> tools;
    private final List<ToolSource> sources;

    @Inject
    public ToolRegistry(@Any Instance<ToolProvider> providers, @Any Instance<ToolSource> sources) {
        this(providers.stream().toList(), sources.stream().toList());
    }

    public ToolRegistry(Collection<ToolProvider> providers) {
        this(providers, List.of());
    }

    public ToolRegistry(Collection<ToolProvider> providers, Collection<ToolSource> sources) {
        this.sources = List.copyOf(sources);
        Map<String, ToolHandle> byName = new TreeMap<>();
        for (ToolProvider provider : providers) {
            for (Object toolObject : provider.tools()) {
                for (ToolHandle handle : ToolScanner.scan(toolObject)) {
                    ToolHandle previous = byName.putIfAbsent(handle.name(), handle);
                    if (previous != null) {
                        throw new IllegalStateException("two tools are named '" + handle.name() + "'");
                    }
                }
            }
        }
        this.tools = Map.copyOf(byName);
        LOG.infof("Tools available: %s", byName.keySet());
    }

    public Optional<ToolHandle> find(String name) {
        ToolHandle local = tools.get(name);
        if (local != null || sources.isEmpty()) {
            return Optional.ofNullable(local);
        }
        return sources.stream().map(source -> source.find(name)).flatMap(Optional::stream).findFirst();
    }

    /** Whether agents may name this tool: it is offered now, or its source is temporarily away. */
    public boolean exists(String name) {
        return find(name).isPresent() || sources.stream().anyMatch(source -> source.mayProvide(name));
    }

    /** The definitions the model sees for the named tools, skipping unknown names. */
    public List<ToolDefinition> definitions(List<String> names) {
        return names.stream()
                .map(this::find)
                .flatMap(Optional::stream)
                .map(h -> new ToolDefinition(h.name(), h.description(), h.parametersSchema(), h.strict()))
                .toList();
    }

    public Collection<ToolHandle> all() {
        Map<String, ToolHandle> all = new TreeMap<>();
        sources.forEach(source -> source.tools().forEach(handle -> all.putIfAbsent(handle.name(), handle)));
        all.putAll(tools);
        return List.copyOf(all.values());
    }
}
