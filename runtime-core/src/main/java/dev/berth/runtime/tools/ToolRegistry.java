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
 * {@code @Tool} methods. Built once at start; immutable and thread safe afterwards.
 */
@ApplicationScoped
public class ToolRegistry {
    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);

    private final Map<String, ToolHandle> tools;

    @Inject
    public ToolRegistry(@Any Instance<ToolProvider> providers) {
        this(providers.stream().toList());
    }

    public ToolRegistry(Collection<ToolProvider> providers) {
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
        return Optional.ofNullable(tools.get(name));
    }

    public boolean exists(String name) {
        return tools.containsKey(name);
    }

    /** The definitions the model sees for the named tools, skipping unknown names. */
    public List<ToolDefinition> definitions(List<String> names) {
        return names.stream()
                .map(tools::get)
                .filter(java.util.Objects::nonNull)
                .map(h -> new ToolDefinition(h.name(), h.description(), h.parametersSchema(), h.strict()))
                .toList();
    }

    public Collection<ToolHandle> all() {
        return tools.values();
    }
}
