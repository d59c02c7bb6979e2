package dev.berth.runtime.tools.plugin;

import dev.berth.tool.ToolHandle;
import java.util.List;

/**
 * A plugin that loaded: its name (the jar's or directory's file name), the providers it
 * declared and the tools they offer.
 */
public record LoadedPlugin(String name, List<String> providers, List<ToolHandle> tools) {
    public LoadedPlugin {
        providers = List.copyOf(providers);
        tools = List.copyOf(tools);
    }

    public List<String> toolNames() {
        return tools.stream().map(ToolHandle::name).toList();
    }
}
