package dev.berth.tool;

import java.util.List;

/**
 * Service-provider interface for plugin jars: list the implementation in
 * {@code META-INF/services/dev.berth.tool.ToolProvider}. Berth instantiates each provider
 * once at start, with a public no-argument constructor, and scans the returned objects
 * for {@link Tool} methods. Tool objects must be thread safe.
 *
 * <p>Lifecycle: {@link #tools()} is called once, at start, on one thread.
 * {@link ToolScanner} rejects wrongly declared tools with a message naming the method, so
 * the mistake shows when the plugin is loaded, not when an agent first calls the tool.
 * Each plugin jar is loaded in
 * a class loader of its own; it may bundle its own libraries, but should declare the SDK
 * as {@code provided}: Berth supplies it, and the tool types must be the ones Berth sees.
 */
public interface ToolProvider {

    /** Objects whose {@link Tool} methods are offered to agents. */
    List<Object> tools();
}
