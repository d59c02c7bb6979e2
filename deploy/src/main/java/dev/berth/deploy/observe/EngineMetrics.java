package dev.berth.deploy.observe;

import dev.berth.model.ChatResponse;
import dev.berth.model.ModelException;
import dev.berth.model.Usage;
import dev.berth.runtime.run.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The engine's Prometheus meters. Names are the ones the alert rules and the dashboard in
 * k8s/observability use: Micrometer's {@code berth.model.tokens} is exported as
 * {@code berth_model_tokens_total}, a timer {@code berth.step.duration} as the histogram
 * {@code berth_step_duration_seconds}. Thread safe (Micrometer caches meters by name and tags).
 */
@ApplicationScoped
public class EngineMetrics {
    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MAX = Duration.ofMinutes(10);

    private final MeterRegistry registry;

    @Inject
    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counters an alert reads exist from the start, at 0, rather than after their first event. */
    void registerAtStart(@Observes StartupEvent started) {
        runsGivenUp();
        modelCallsRepeated();
    }

    /** A run given back after its steps kept failing (ADR 0021); never for a database outage (ADR 0025). */
    void runGivenUp() {
        runsGivenUp().increment();
    }

    /** A model answer obtained and not committed: its step's model call is made again (ADR 0025). */
    void modelCallRepeated() {
        modelCallsRepeated().increment();
    }

    private Counter runsGivenUp() {
        return Counter.builder("berth.runs.given.up")
                .description("Runs given back by a process after their steps kept failing").register(registry);
    }

    private Counter modelCallsRepeated() {
        return Counter.builder("berth.model.calls.repeated")
                .description("Model answers obtained and not committed, so that the step's model call is made again")
                .register(registry);
    }

    void leaseTakenOver() {
        registry.counter("berth.lease.takeovers").increment();
    }

    /** A run left this process: final runs are counted, and any settled or paused run is timed. */
    void runEnded(RunStatus status, long nanos) {
        if (status.settled()) {
            timer("berth.run.duration", "From claim to a final answer, pause or failure").record(nanos, TimeUnit.NANOSECONDS);
        }
        if (status.terminal()) {
            registry.counter("berth.runs.finished", "status", status.wire()).increment();
        }
    }

    void step(String kind, long nanos) {
        timer("berth.step.duration", "One step: context, model call or tools, commit", "kind", kind)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void modelCall(String deployment, long nanos, ChatResponse response) {
        registry.counter("berth.model.calls", "deployment", deployment).increment();
        timer("berth.model.call.duration", "Model call latency", "deployment", deployment)
                .record(nanos, TimeUnit.NANOSECONDS);
        Usage usage = response.usage();
        String estimated = Boolean.toString(usage.estimated());
        tokens(deployment, "input", estimated, usage.inputTokens());
        tokens(deployment, "output", estimated, usage.outputTokens());
        tokens(deployment, "cached", estimated, usage.cachedTokens());
        tokens(deployment, "reasoning", estimated, usage.reasoningTokens());
    }

    void modelCallFailed(String deployment, long nanos, Throwable failure) {
        registry.counter("berth.model.calls", "deployment", deployment).increment();
        timer("berth.model.call.duration", "Model call latency", "deployment", deployment)
                .record(nanos, TimeUnit.NANOSECONDS);
        registry.counter("berth.model.errors", "deployment", deployment, "kind", errorKind(failure)).increment();
    }

    void toolCall(String tool, long nanos, boolean error) {
        timer("berth.tool.call.duration", "Tool call latency", "tool", tool).record(nanos, TimeUnit.NANOSECONDS);
        // Registered on the first call, so the error rate of a tool that never failed is 0, not absent.
        Counter errors = registry.counter("berth.tool.errors", "tool", tool);
        if (error) {
            errors.increment();
        }
    }

    /** {@code estimated}: "true" when the client counted the tokens (the provider reported none), else "false". */
    private void tokens(String deployment, String type, String estimated, long count) {
        Counter counter = registry.counter("berth.model.tokens", "deployment", deployment, "type", type,
                "estimated", estimated);
        if (count > 0) {
            counter.increment(count);
        }
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram().minimumExpectedValue(MIN).maximumExpectedValue(MAX)
                .register(registry);
    }

    static String errorKind(Throwable failure) {
        return switch (failure) {
            case ModelException.ContentFiltered ignored -> "content_filtered";
            case ModelException.ContextLengthExceeded ignored -> "context_length_exceeded";
            case ModelException.Throttled ignored -> "throttled";
            case ModelException.Unavailable ignored -> "unavailable";
            case ModelException.BadRequest ignored -> "bad_request";
            case ModelException.Authentication ignored -> "authentication";
            default -> "other";
        };
    }
}
