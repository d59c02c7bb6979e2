package dev.berth.runtime.tools.plugin;

import dev.berth.runtime.tools.ToolSource;
import dev.berth.runtime.tools.ToolsConfig;
import dev.berth.tool.ToolHandle;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The tools of the plugin jars in {@code berth.tools.plugin-dir}, loaded once at start.
 * A plugin that fails is logged at ERROR and skipped, unless {@code berth.tools.plugin-fail-fast}
 * is set, in which case Berth does not start.
 */
@ApplicationScoped
public class PluginToolSource implements ToolSource {
    private static final Logger LOG = Logger.getLogger(PluginToolSource.class);

    private final ToolsConfig config;
    private volatile Map<String, ToolHandle> tools = Map.of();

    @Inject
    public PluginToolSource(ToolsConfig config) {
        this.config = config;
    }

    /** Loads at start, so a broken plugin shows in the start-up log, not at the first agent call. */
    void onStart(@Observes @Priority(10) Startup started) {
        tools.size();
    }

    @PostConstruct
    void load() {
        Path directory = Path.of(config.pluginDir()).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            LOG.infof("Tool plugin directory %s does not exist: no plugins loaded", directory);
            return;
        }
        List<LoadedPlugin> plugins = PluginLoader.forBerth().loadAll(directory, this::failed);
        Map<String, ToolHandle> byName = new TreeMap<>();
        for (LoadedPlugin plugin : plugins) {
            plugin.tools().forEach(handle -> byName.put(handle.name(), handle));
            LOG.infof("Loaded tool plugin %s: tools %s from %s", plugin.name(), plugin.toolNames(), plugin.providers());
        }
        LOG.infof("Tool plugins in %s: %d loaded, %d tools", directory, plugins.size(), byName.size());
        tools = Map.copyOf(byName);
    }

    private void failed(PluginLoadException failure) {
        if (config.pluginFailFast()) {
            throw new IllegalStateException("Tool plugin failed to load (berth.tools.plugin-fail-fast=true): "
                    + failure.getMessage(), failure);
        }
        // The message names the plugin and the reason; the stack trace only helps the plugin's author.
        LOG.errorf("Skipped tool %s", failure.getMessage());
        LOG.debugf(failure, "Why tool %s failed", failure.getMessage());
    }

    @Override
    public Collection<ToolHandle> tools() {
        return tools.values();
    }

    @Override
    public Optional<ToolHandle> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }
}
