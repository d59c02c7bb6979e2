package dev.berth.runtime.tools;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.observe.ToolCallObservation;
import dev.berth.tool.InvalidArgumentsException;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolHandle;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Executes the tool calls of one step, in parallel. Never fails: every problem becomes an
 * error outcome the model can read (unknown tool, invalid arguments, timeout, exception).
 * Blocking tools run on virtual threads so they never hold an event loop.
 */
@ApplicationScoped
public class ToolExecutor {
    private static final Logger LOG = Logger.getLogger(ToolExecutor.class);
    static final String TRUNCATION_MARKER = "\n[output truncated by Berth]";

    private final ToolRegistry registry;
    private final Duration timeout;
    private final int maxOutputChars;
    private final EngineObserver observer;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

    @Inject
    public ToolExecutor(ToolRegistry registry, EngineConfig config, Instance<EngineObserver> observers) {
        this(registry, config.toolTimeout(), config.toolMaxOutputChars(),
                observers.isResolvable() ? observers.get() : EngineObserver.NONE);
    }

    public ToolExecutor(ToolRegistry registry, Duration timeout, int maxOutputChars, EngineObserver observer) {
        this.registry = registry;
        this.timeout = timeout;
        this.maxOutputChars = maxOutputChars;
        this.observer = observer;
    }

    /** Executes the calls the agent may make ({@code allowed}); outcomes in the order of the calls. */
    public Uni<List<ToolOutcome>> executeAll(List<ToolInvocation> invocations, Set<String> allowed,
            BooleanSupplier cancelled) {
        if (invocations.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<ToolOutcome>> each = invocations.stream()
                .map(invocation -> observed(invocation, allowed, cancelled))
                .toList();
        return Uni.join().all(each).andFailFast();
    }

    /** The call as the observer sees it; the outcome, never a failure, says whether it is an error. */
    private Uni<ToolOutcome> observed(ToolInvocation invocation, Set<String> allowed, BooleanSupplier cancelled) {
        return Uni.createFrom().deferred(() -> {
            ToolCallObservation observation = observer.toolCallStarted(invocation);
            return execute(invocation, allowed, cancelled, observation)
                    .invoke(outcome -> observation.ended(outcome.error()))
                    .onCancellation().invoke(() -> observation.ended(true));
        });
    }

    private Uni<ToolOutcome> execute(ToolInvocation invocation, Set<String> allowed, BooleanSupplier cancelled,
            ToolCallObservation observation) {
        String name = invocation.call().name();
        ToolHandle handle = allowed.contains(name) ? registry.find(name).orElse(null) : null;
        if (handle == null) {
            return Uni.createFrom().item(failure(invocation, "Unknown tool '" + name + "'. Use only the tools offered."));
        }
        RunToolContext context = new RunToolContext(invocation, cancelled, observation.propagationHeaders());
        // invokeJson validates the model's arguments against the schema before the tool is called.
        String arguments = invocation.call().arguments();
        // A blocking tool is started on a virtual thread and awaited as a future, so that the timeout
        // below runs while the tool does (runSubscriptionOn would start the clock only after it returned).
        Uni<String> call = handle.blocking()
                ? Uni.createFrom().completionStage(() -> CompletableFuture
                        .supplyAsync(() -> handle.invokeJson(arguments, context), virtualThreads)
                        .thenCompose(stage -> stage))
                : Uni.createFrom().completionStage(() -> handle.invokeJson(arguments, context));
        return call.ifNoItem().after(timeout).fail()
                .map(output -> new ToolOutcome(invocation.call().id(), name, truncate(output), false,
                        invocation.attempt(), context.statePatch()))
                .onFailure().recoverWithItem(error -> failure(invocation, describe(invocation, error)));
    }

    private String describe(ToolInvocation invocation, Throwable error) {
        String name = invocation.call().name();
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof InvalidArgumentsException invalid) {
            return invalid.getMessage();
        }
        if (cause instanceof ToolException toolError) {
            if (toolError.operatorDetail() != null) {
                LogContext.of(invocation.tenantId(), invocation.sessionId(), invocation.runId(),
                        () -> LOG.warnf("Tool %s failed: %s", name, toolError.operatorDetail()));
            }
            return toolError.getMessage();
        }
        if (cause instanceof TimeoutException) {
            return "The tool '" + name + "' timed out after " + timeout.toSeconds() + " s.";
        }
        LogContext.of(invocation.tenantId(), invocation.sessionId(), invocation.runId(),
                () -> LOG.errorf(cause, "Tool %s threw an unexpected exception", name));
        return "The tool '" + name + "' failed with an internal error.";
    }

    private ToolOutcome failure(ToolInvocation invocation, String message) {
        return new ToolOutcome(invocation.call().id(), invocation.call().name(), message, true,
                invocation.attempt(), Map.of());
    }

    private String truncate(String output) {
        String text = output == null ? "" : output;
        return text.length() <= maxOutputChars ? text : text.substring(0, maxOutputChars) + TRUNCATION_MARKER;
    }
}
