package dev.berth.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** A plugin jar lists its {@link ToolProvider} as a service; Berth loads it and scans its tools. */
class ToolProviderTest {

    /** Listed in src/test/resources/META-INF/services/dev.berth.tool.ToolProvider. */
    public static class ClockTools implements ToolProvider {

        public static class Clock {
            @Tool(description = "Tells the time in a fixed world")
            public String now() {
                return "2026-01-31T09:30:00Z";
            }
        }

        @Override
        public List<Object> tools() {
            return List.of(new Clock());
        }
    }

    @Test
    void providersAreFoundByTheServiceLoader() {
        // When
        List<ToolHandle> tools = ServiceLoader.load(ToolProvider.class).stream()
                .flatMap(provider -> provider.get().tools().stream())
                .flatMap(object -> ToolScanner.scan(object).stream())
                .toList();

        // Then
        assertThat(tools).extracting(ToolHandle::name).containsExactly("now");
        assertThat(Tools.call(tools.get(0), "{}")).isEqualTo("2026-01-31T09:30:00Z");
    }
}
