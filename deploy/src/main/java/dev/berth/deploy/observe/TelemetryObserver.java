package dev.berth.deploy.observe;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.observe.ModelCallObservation;
import dev.berth.runtime.observe.Observation;
import dev.berth.runtime.observe.ToolCallObservation;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.tools.ToolRegistry;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The engine observed through Micrometer meters and OpenTelemetry spans; see docs/operations.md. */
@ApplicationScoped
public class TelemetryObserver implements EngineObserver {
    private static final Logger LOG = Logger.getLogger(TelemetryObserver.class);

    private final EngineMetrics metrics;
    private final EngineTracing tracing;
    private final ToolRegistry tools;
    private final boolean logContents;
    private final Map<Lease, Long> runStarts = new ConcurrentHashMap<>();

    @Inject
    public TelemetryObserver(EngineMetrics metrics, EngineTracing tracing, ToolRegistry tools,
            @ConfigProperty(name = "berth.log.contents", defaultValue = "false") boolean logContents) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.tools = tools;
        this.logContents = logContents;
    }

    @Override
    public void runStarted(ClaimedRun claimed) {
        runStarts.put(claimed.lease(), System.nanoTime());
        if (claimed.takeover()) {
            metrics.leaseTakenOver();
        }
        tracing.runStarted(claimed);
    }

    @Override
    public void runEnded(ClaimedRun claimed, RunStatus status) {
        Long started = runStarts.remove(claimed.lease());
        if (started != null) {
            metrics.runEnded(status, System.nanoTime() - started);
        }
        tracing.runEnded(claimed, status);
    }

    @Override
    public void runGivenUp(ClaimedRun claimed) {
        metrics.runGivenUp();
    }

    @Override
    public void modelAnswerDiscarded(ClaimedRun claimed) {
        metrics.modelCallRepeated();
    }

    @Override
    public Observation stepStarted(ClaimedRun claimed, String kind) {
        long start = System.nanoTime();
        Span span = tracing.stepStarted(claimed, kind);
        return failure -> {
            metrics.step(kind, System.nanoTime() - start);
            tracing.stepEnded(claimed, span, failure);
        };
    }

    @Override
    public ModelCallObservation modelCallStarted(ClaimedRun claimed, ChatRequest request) {
        long start = System.nanoTime();
        Span span = tracing.modelCallStarted(claimed, request);
        return new ModelCallObservation() {
            @Override
            public void succeeded(ChatResponse response) {
                String deployment = response.call().deployment() != null ? response.call().deployment()
                        : logicalModel(request);
                metrics.modelCall(deployment, System.nanoTime() - start, response);
                tracing.modelCallSucceeded(span, response);
                if (logContents) {
                    // Only on request (berth.log.contents): answers and tool arguments may hold personal data.
                    LogContext.of(claimed.run(), () -> LOG.infof("Model answer (%s): %s; tool calls: %s", deployment,
                            response.content(), response.toolCalls()));
                }
            }

            @Override
            public void failed(Throwable failure) {
                // A call the engine stopped (cancel, drain, time limit) is not a model error.
                if (!(failure instanceof CancellationException)) {
                    metrics.modelCallFailed(logicalModel(request), System.nanoTime() - start, failure);
                }
                tracing.callFailed(span, failure);
            }
        };
    }

    @Override
    public ToolCallObservation toolCallStarted(ToolInvocation invocation) {
        long start = System.nanoTime();
        // The label is the tool's name only for tools that exist: the model may invent names.
        String tool = tools.find(invocation.call().name()).isPresent() ? invocation.call().name() : "unknown";
        Span span = tracing.toolCallStarted(invocation);
        Map<String, String> headers = EngineTracing.headers(span);
        return new ToolCallObservation() {
            @Override
            public Map<String, String> propagationHeaders() {
                return headers;
            }

            @Override
            public void ended(boolean error) {
                metrics.toolCall(tool, System.nanoTime() - start, error);
                tracing.toolCallEnded(span, error);
            }
        };
    }

    /** A failed call was served by no deployment: it is labelled with the logical model asked for. */
    private static String logicalModel(ChatRequest request) {
        return request.model() == null ? "default" : request.model();
    }
}
