package dev.berth.runtime.tools.plugin;

import dev.berth.tool.ToolHandle;
import dev.berth.tool.ToolProvider;
import dev.berth.tool.ToolScanner;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads tool plugins from a directory: each {@code *.jar} directly in it is a plugin, and so
 * is each subdirectory (made of the jars it holds, for plugins that ship libraries). Each
 * plugin gets a {@link PluginClassLoader} of its own whose parent is the loader of the tool
 * SDK, and its {@link ToolProvider}s are found with {@link ServiceLoader}.
 *
 * <p>A plugin loads entirely or not at all: a provider that cannot be instantiated, a
 * {@code tools()} that throws, a wrongly declared {@code @Tool}, or a tool name that an
 * earlier plugin already took makes the whole plugin fail, with a
 * {@link PluginLoadException} that names it. Plugins load in file-name order.
 *
 * <p>Threading: meant for start-up, on one thread. Plugin code runs with the plugin's
 * loader as the context class loader.
 */
public final class PluginLoader {
    private final ClassLoader parent;

    public PluginLoader(ClassLoader parent) {
        this.parent = parent;
    }

    /** The loader Berth uses: plugins see the SDK types Berth sees. */
    public static PluginLoader forBerth() {
        return new PluginLoader(ToolProvider.class.getClassLoader());
    }

    /**
     * Loads every plugin of the directory; each failure goes to {@code onFailure} and the
     * plugin is skipped. A directory that does not exist has no plugins.
     */
    public List<LoadedPlugin> loadAll(Path directory, Consumer<PluginLoadException> onFailure) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<LoadedPlugin> loaded = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (Path candidate : candidates(directory)) {
            try {
                LoadedPlugin plugin = load(candidate);
                for (String tool : plugin.toolNames()) {
                    String owner = owners.get(tool);
                    if (owner != null) {
                        throw new PluginLoadException("plugin " + plugin.name() + ": the tool name '" + tool
                                + "' is already taken by plugin " + owner, null);
                    }
                }
                plugin.toolNames().forEach(tool -> owners.put(tool, plugin.name()));
                loaded.add(plugin);
            } catch (PluginLoadException e) {
                onFailure.accept(e);
            }
        }
        return List.copyOf(loaded);
    }

    /** Loads one plugin: a jar, or a directory of jars. */
    public LoadedPlugin load(Path plugin) {
        String name = plugin.getFileName().toString();
        URL[] jars = jarsOf(plugin, name);
        PluginClassLoader loader = new PluginClassLoader(name, jars, parent);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            List<String> providers = new ArrayList<>();
            List<ToolHandle> tools = new ArrayList<>();
            for (ToolProvider provider : providersOf(loader, name)) {
                providers.add(provider.getClass().getName());
                for (Object toolObject : provider.tools()) {
                    ToolScanner.scan(toolObject).forEach(h -> tools.add(new ContextClassLoaderToolHandle(h, loader)));
                }
            }
            if (providers.isEmpty()) {
                throw new PluginLoadException("plugin " + name + " declares no tool provider: list one in"
                        + " META-INF/services/" + ToolProvider.class.getName(), null);
            }
            return new LoadedPlugin(name, providers, tools);
        } catch (PluginLoadException e) {
            close(loader);
            throw e;
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            close(loader);
            throw new PluginLoadException("plugin " + name + ": " + describe(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Only the providers the plugin itself declares, not those its parent loader can see. */
    private static List<ToolProvider> providersOf(PluginClassLoader loader, String name) {
        return ServiceLoader.load(ToolProvider.class, loader).stream()
                .filter(provider -> provider.type().getClassLoader() == loader)
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    private static List<Path> candidates(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> Files.isDirectory(p) || isJar(p)).sorted().toList();
        } catch (IOException e) {
            throw new PluginLoadException("cannot list the plugin directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static URL[] jarsOf(Path plugin, String name) {
        try {
            if (!Files.isDirectory(plugin)) {
                return new URL[] {plugin.toUri().toURL()};
            }
            List<URL> urls = new ArrayList<>();
            try (Stream<Path> entries = Files.list(plugin)) {
                for (Path jar : entries.filter(PluginLoader::isJar).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
            if (urls.isEmpty()) {
                throw new PluginLoadException("plugin directory " + name + " holds no jar", null);
            }
            return urls.toArray(URL[]::new);
        } catch (MalformedURLException e) {
            throw new PluginLoadException("plugin " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PluginLoadException("plugin " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + message;
    }

    private static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Nothing was loaded from it that anyone uses.
        }
    }
}
