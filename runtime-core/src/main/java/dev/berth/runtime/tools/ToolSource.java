package dev.berth.runtime.tools;

import dev.berth.tool.ToolHandle;
import java.util.Collection;
import java.util.Optional;

/**
 * Tools that do not come from in-process {@link dev.berth.tool.ToolProvider} beans: plugin
 * jars and MCP servers. {@link ToolRegistry} consults every {@code ToolSource} bean after its
 * own tools, so a source's list may change while the process runs.
 *
 * <p>Threading: every method may be called concurrently, from event-loop threads: they must
 * answer from memory, without blocking.
 */
public interface ToolSource {

    /** The tools this source offers now. */
    Collection<ToolHandle> tools();

    /** The tool of that name, if this source offers it now. */
    Optional<ToolHandle> find(String name);

    /**
     * Whether an agent may name this tool although it is not offered now, because it belongs
     * to a source that is temporarily unavailable (an MCP server that is down). Such a name is
     * accepted in agent definitions; the model is offered the tool once the source is back.
     */
    default boolean mayProvide(String name) {
        return false;
    }
}
