package dev.berth.deploy.tools;

import dev.berth.tool.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;

/** Builds plugin jars as an operator would get them: compiled against the SDK only, with a service file. */
final class PluginJars {
    static final String GREETER_SOURCE = """
            package com.example.greeter;

            import dev.berth.tool.Tool;
            import dev.berth.tool.ToolParam;

            public class GreeterTools {
                @Tool(description = "Greets someone by name.")
                public String greet(@ToolParam(description = "who to greet") String name) {
                    return "Hello, " + name + "! (plugin class loader: "
                            + getClass().getClassLoader().getName() + ")";
                }
            }
            """;
    static final String PROVIDER_SOURCE = """
            package com.example.greeter;

            import java.util.List;

            public class GreeterProvider implements dev.berth.tool.ToolProvider {
                @Override
                public List<Object> tools() {
                    return List.of(new GreeterTools());
                }
            }
            """;

    private PluginJars() {
    }

    /**
     * Writes two plugins into the directory: {@code greeter.jar} (the tool {@code greet}) and
     * {@code broken.jar}, whose service file names a class that does not exist.
     */
    static Path build(Path work) throws IOException {
        Path plugins = work.resolve("plugins");
        deleteRecursively(work);
        Files.createDirectories(plugins);
        Path classes = compile(work, Map.of("GreeterTools", GREETER_SOURCE, "GreeterProvider", PROVIDER_SOURCE));
        jar(plugins.resolve("greeter.jar"), classes, "com.example.greeter.GreeterProvider");
        Path empty = Files.createDirectories(work.resolve("empty"));
        jar(plugins.resolve("broken.jar"), empty, "com.example.broken.MissingProvider");
        return plugins;
    }

    private static Path compile(Path work, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(work.resolve("src/com/example/greeter"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-parameters", "--release", "21",
                "-cp", sdkLocation()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey() + ".java");
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the tests need a JDK (javax.tools.JavaCompiler) to build a plugin jar");
        }
        int status = javac.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("compiling the test plugin failed: " + status);
        }
        return classes;
    }

    /** The tool SDK as the plugin author compiles against it ("provided"). */
    private static String sdkLocation() {
        try {
            return Path.of(ToolProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jar(Path jar, Path classes, String provider) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
            zip.putNextEntry(new JarEntry("META-INF/services/" + ToolProvider.class.getName()));
            zip.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
