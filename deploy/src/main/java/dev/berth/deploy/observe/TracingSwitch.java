package dev.berth.deploy.observe;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Starts the OpenTelemetry SDK only when tracing is on: when {@code berth.tracing.sampler} is
 * unset or {@code always_off} (the default), {@code quarkus.otel.sdk.disabled} is true, unless
 * it is set explicitly. With the SDK merely sampling nothing, Quarkus still instruments every
 * HTTP request and response, model calls included, which cost about 7% of the CPU of a turn in
 * the benchmark's profile (issue 9); with it disabled, no Vert.x tracer is installed at all.
 * The documented switch stays the sampler (docs/operations.md).
 */
@Priority(Priorities.APPLICATION)
public class TracingSwitch implements ConfigSourceInterceptor {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String SAMPLER = "berth.tracing.sampler";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || (value != null && !isDefault(value))) {
            return value;
        }
        ConfigValue sampler = context.proceed(SAMPLER);
        boolean off = sampler == null || sampler.getValue() == null || sampler.getValue().isBlank()
                || "always_off".equals(sampler.getValue().trim());
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(off))
                .withConfigSourceName(TracingSwitch.class.getSimpleName()).build();
    }

    /** The extension's own default, not a value anyone set. */
    private static boolean isDefault(ConfigValue value) {
        return value.getConfigSourceOrdinal() == Integer.MIN_VALUE
                || (value.getConfigSourceName() != null && value.getConfigSourceName().startsWith("DefaultValues"));
    }
}
