package dev.berth.deploy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** In the running application with no sampler configured, the OpenTelemetry SDK is not started. */
@QuarkusTest
class TracingOffTest {

    @Test
    void withoutASamplerTheSdkIsDisabled() {
        assertThat(ConfigProvider.getConfig().getValue(TracingSwitch.SDK_DISABLED, Boolean.class)).isTrue();
    }
}
