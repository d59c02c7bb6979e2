package dev.berth.deploy.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the SSE streams open on this pod ({@code berth_sse_streams_active}); made at start so the gauge exists. */
@Startup
@ApplicationScoped
public class SseStreams {
    private final AtomicInteger open = new AtomicInteger();

    @Inject
    public SseStreams(MeterRegistry registry) {
        Gauge.builder("berth.sse.streams.active", open, AtomicInteger::get)
                .description("Open SSE streams on this pod").register(registry);
    }

    /** The stream, counted while a client is subscribed to it. */
    public <T> Multi<T> counted(Multi<T> stream) {
        return stream.onSubscription().invoke(() -> open.incrementAndGet())
                .onTermination().invoke(() -> open.decrementAndGet());
    }
}
