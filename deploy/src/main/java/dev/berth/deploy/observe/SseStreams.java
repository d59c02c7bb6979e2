package dev.berth.deploy.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** Counts the SSE streams open on this pod ({@code berth_sse_streams_active}); made at start so the gauge exists. */
@Startup
@ApplicationScoped
public class SseStreams {
    private static final Logger LOG = Logger.getLogger(SseStreams.class);
    private final AtomicInteger open = new AtomicInteger();

    @Inject
    public SseStreams(MeterRegistry registry) {
        Gauge.builder("berth.sse.streams.active", open, AtomicInteger::get)
                .description("Open SSE streams on this pod").register(registry);
    }

    /**
     * The stream as served: counted while a client is subscribed to it, and ended cleanly on a
     * failure, with {@code lastWord} as its final event (what went wrong, and when to reconnect).
     * Once an SSE response has started, a failure can no longer become a problem answer:
     * RESTEasy Reactive would log it with its whole stack and cut the connection. A stream's
     * faults are expected (a database outage longer than the stream rides out, the pod drains)
     * and the client resumes with {@code Last-Event-ID}, so one line without a stack says why the
     * stream ended.
     */
    public <T> Multi<T> served(Multi<T> stream, Function<Throwable, T> lastWord) {
        return stream
                .onFailure().invoke(failure -> LOG.warnf("An event stream ended early: %s", failure.toString()))
                .onFailure().recoverWithItem(lastWord)
                .onSubscription().invoke(() -> open.incrementAndGet())
                .onTermination().invoke(() -> open.decrementAndGet());
    }
}
