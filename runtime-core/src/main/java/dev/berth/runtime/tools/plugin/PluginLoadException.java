package dev.berth.runtime.tools.plugin;

/** A plugin could not be loaded; the message names the plugin and the reason, for the operator. */
public class PluginLoadException extends RuntimeException {
    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
