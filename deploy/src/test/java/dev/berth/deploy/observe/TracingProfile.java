package dev.berth.deploy.observe;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Berth with tracing on (every span sampled) and spans kept in memory ({@link InMemorySpans})
 * instead of sent to a collector, with a remote SDK tool server behind a header-recording proxy.
 */
public class TracingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "berth.tracing.sampler", "parentbased_always_on",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.bsp.schedule.delay", "50ms",
                "berth.metrics.backlog-refresh", "200ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ObservabilityTestResource.class));
    }
}
