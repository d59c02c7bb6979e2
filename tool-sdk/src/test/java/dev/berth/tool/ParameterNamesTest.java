package dev.berth.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool compiled without {@code -parameters} cannot expose {@code arg0} to the model. */
class ParameterNamesTest {

    @TempDir
    Path dir;

    @Test
    void missingParameterNamesAreRefusedWithTheFix() throws Exception {
        // Given
        Object tools = compileWithoutParameterNames("""
                package plugin;
                public class Unnamed {
                    @dev.berth.tool.Tool(description = "d")
                    public String echo(String text) { return text; }
                }
                """, "plugin.Unnamed");

        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(tools));

        // Then
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessage("plugin.Unnamed#echo: parameter"
                + " names are not available; compile with -parameters (maven-compiler-plugin"
                + " <parameters>true</parameters>) or name each parameter with @ToolParam(name = ...)");
    }

    @Test
    void toolParamNamesReplaceMissingParameterNames() throws Exception {
        // Given
        Object tools = compileWithoutParameterNames("""
                package plugin;
                public class Named {
                    @dev.berth.tool.Tool(description = "d")
                    public String echo(@dev.berth.tool.ToolParam(name = "text") String text) { return text; }
                }
                """, "plugin.Named");

        // When
        List<ToolHandle> scanned = ToolScanner.scan(tools);

        // Then
        assertThat(Tools.call(scanned.get(0), "{\"text\":\"hi\"}")).isEqualTo("hi");
    }

    @Test
    void aBundledCopyOfTheSdkIsNamedAsTheCause() throws Exception {
        // Given a plugin whose own copy of @Tool was loaded by its class loader, not ours
        Path sdkCopy = dir.resolve("sdk-copy/dev/berth/tool/Tool.java");
        Files.createDirectories(sdkCopy.getParent());
        Files.writeString(sdkCopy, """
                package dev.berth.tool;
                @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
                public @interface Tool { String description(); }
                """);
        Path plugin = dir.resolve("sdk-copy/plugin/Bundling.java");
        Files.createDirectories(plugin.getParent());
        Files.writeString(plugin, """
                package plugin;
                public class Bundling {
                    @dev.berth.tool.Tool(description = "d")
                    public String echo(String text) { return text; }
                }
                """);
        compile(dir.resolve("sdk-copy/classes"), "", sdkCopy, plugin);
        Object tools = new URLClassLoader(new URL[] {dir.resolve("sdk-copy/classes").toUri().toURL()}, null)
                .loadClass("plugin.Bundling").getConstructor().newInstance();

        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(tools));

        // Then
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessage("plugin.Bundling has no @Tool"
                + " methods; its methods are annotated with a copy of @Tool from another class loader:"
                + " do not bundle berth-tool-sdk in plugin jars (use the provided scope)");
    }

    private static void compile(Path output, String classPath, Path... sources) throws IOException {
        JavaCompiler compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new java.util.ArrayList<>(List.of("-d", output.toString(), "-cp", classPath));
        for (Path source : sources) {
            arguments.add(source.toString());
        }
        if (compiler.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IOException("compilation failed");
        }
    }

    private Object compileWithoutParameterNames(String source, String className) throws Exception {
        Path file = dir.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        compile(dir, System.getProperty("java.class.path"), file);
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass(className).getConstructor().newInstance();
    }
}
