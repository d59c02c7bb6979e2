package dev.berth.runtime.tools.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.tool.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
    @TempDir
    Path dir;
    private Path plugins;

    @BeforeEach
    void createPluginDirectory() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
    }

    @Test
    void aPluginJarIsLoadedInItsOwnClassLoaderAndItsToolsAreCallable() throws Exception {
        // Given a plugin jar with one provider
        plugin("hello", "hello", "Hello");

        // When the directory is loaded
        List<PluginLoadException> failures = new ArrayList<>();
        List<LoadedPlugin> loaded = PluginLoader.forBerth().loadAll(plugins, failures::add);

        // Then its tool is there, defined by the plugin's loader, and callable
        assertThat(failures).isEmpty();
        assertThat(loaded).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("hello.jar");
            assertThat(p.toolNames()).containsExactly("hello");
        });
        String output = loaded.get(0).tools().get(0).invokeJson("{\"name\":\"Ada\"}", null).toCompletableFuture().join();
        assertThat(output).isEqualTo("Hello Ada from berth-plugin-hello.jar");
    }

    @Test
    void aBrokenPluginIsReportedAndTheOthersStillLoad() throws Exception {
        // Given a good plugin, one whose provider class is missing, and one repeating a tool name
        plugin("a-good", "hello", "Hello");
        jar(plugins.resolve("b-broken.jar"), Files.createDirectories(dir.resolve("empty")), "com.example.Missing");
        plugin("c-duplicate", "hello", "Bonjour");

        // When the directory is loaded
        List<PluginLoadException> failures = new ArrayList<>();
        List<LoadedPlugin> loaded = PluginLoader.forBerth().loadAll(plugins, failures::add);

        // Then the good one loaded and each other failure names its plugin and reason
        assertThat(loaded).extracting(LoadedPlugin::name).containsExactly("a-good.jar");
        assertThat(failures).extracting(Throwable::getMessage).satisfiesExactly(
                m -> assertThat(m).contains("b-broken.jar").contains("com.example.Missing"),
                m -> assertThat(m).contains("c-duplicate.jar").contains("'hello' is already taken by plugin a-good.jar"));
    }

    @Test
    void aMissingDirectoryHasNoPlugins() {
        assertThat(PluginLoader.forBerth().loadAll(dir.resolve("nowhere"), e -> {
            throw e;
        })).isEmpty();
    }

    private void plugin(String name, String tool, String greeting) throws Exception {
        String pkg = "p" + name.replace("-", "");
        Path src = Files.createDirectories(dir.resolve(name + "-src/" + pkg));
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        Files.writeString(src.resolve("Tools.java"), """
                package %s;
                public class Tools implements dev.berth.tool.ToolProvider {
                    public java.util.List<Object> tools() { return java.util.List.of(this); }
                    @dev.berth.tool.Tool(name = "%s", description = "Greets.")
                    public String greet(String name) {
                        return "%s " + name + " from " + getClass().getClassLoader().getName();
                    }
                }
                """.formatted(pkg, tool, greeting));
        int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-parameters", "-cp", sdk(), src.resolve("Tools.java").toString());
        assertThat(status).isZero();
        jar(plugins.resolve(name + ".jar"), classes, pkg + ".Tools");
    }

    private static String sdk() throws URISyntaxException {
        return Path.of(ToolProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void jar(Path jar, Path classes, String provider) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
            zip.putNextEntry(new JarEntry("META-INF/services/" + ToolProvider.class.getName()));
            zip.write(provider.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
