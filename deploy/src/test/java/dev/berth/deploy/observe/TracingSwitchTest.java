package dev.berth.deploy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry SDK runs only when a sampler other than always_off is configured. */
class TracingSwitchTest {

    @Test
    void theSdkIsOffWithoutASampler() {
        assertThat(sdkDisabled(Map.of())).isTrue();
        assertThat(sdkDisabled(Map.of(TracingSwitch.SAMPLER, "always_off"))).isTrue();
    }

    @Test
    void aSamplerTurnsTheSdkOn() {
        assertThat(sdkDisabled(Map.of(TracingSwitch.SAMPLER, "parentbased_always_on"))).isFalse();
        assertThat(sdkDisabled(Map.of(TracingSwitch.SAMPLER, "traceidratio"))).isFalse();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(sdkDisabled(Map.of(TracingSwitch.SDK_DISABLED, "false"))).isFalse();
        assertThat(sdkDisabled(Map.of(TracingSwitch.SDK_DISABLED, "true",
                TracingSwitch.SAMPLER, "always_on"))).isTrue();
    }

    private static boolean sdkDisabled(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withInterceptors(new TracingSwitch())
                .withDefaultValue(TracingSwitch.SDK_DISABLED, "false") // as the extension's mapping does
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .build();
        return config.getValue(TracingSwitch.SDK_DISABLED, Boolean.class);
    }
}
