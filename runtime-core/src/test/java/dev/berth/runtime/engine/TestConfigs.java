package dev.berth.runtime.engine;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.config.TeamConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The engine's real config mappings with their defaults, plus what a test overrides; no container. */
final class TestConfigs {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final SmallRyeConfig config;

    TestConfigs(Map<String, String> overrides) {
        this.config = new SmallRyeConfigBuilder()
                .withMapping(EngineConfig.class)
                .withMapping(MemoryConfig.class)
                .withMapping(TeamConfig.class)
                .withConverter(Duration.class, 100, TestConfigs::duration)
                .withSources(new PropertiesConfigSource(new HashMap<>(overrides), "test", 100))
                .build();
    }

    EngineConfig engine() {
        return config.getConfigMapping(EngineConfig.class);
    }

    MemoryConfig memory() {
        return config.getConfigMapping(MemoryConfig.class);
    }

    TeamConfig teams() {
        return config.getConfigMapping(TeamConfig.class);
    }

    /** The short forms the defaults use ({@code 15s}, {@code 50ms}, {@code 30d}), or ISO-8601. */
    private static Duration duration(String value) {
        Matcher m = SHORT_DURATION.matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
