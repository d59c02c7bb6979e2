package dev.berth.runtime.tools;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.observe.ToolCallObservation;
import dev.berth.tool.InvalidArgumentsException;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolHandle;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Executes the tool calls of one step, in parallel, each under its tool's {@link ToolPolicy}:
 * a concurrency limit per process, a timeout per try, retries with backoff for retryable
 * {@link ToolException}s, truncated output. Never fails: every problem becomes an error
 * outcome the model can read (unknown tool, invalid arguments, timeout, exception).
 * Blocking tools run on virtual threads so they never hold an event loop.
 */
@ApplicationScoped
public class ToolExecutor {
    private static final Logger LOG = Logger.getLogger(ToolExecutor.class);
    public static final String TRUNCATION_MARKER = "\n[output truncated by Berth]";

    private final ToolRegistry registry;
    private final ToolPolicies policies;
    private final EngineObserver observer;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

    @Inject
    public ToolExecutor(ToolRegistry registry, EngineConfig config, ToolsConfig tools,
            Instance<EngineObserver> observers) {
        this(registry, ToolPolicies.fromConfig(defaults(config), tools.policy()),
                observers.isResolvable() ? observers.get() : EngineObserver.NONE);
    }

    public ToolExecutor(ToolRegistry registry, Duration timeout, int maxOutputChars) {
        this(registry, new ToolPolicies(new ToolPolicy(timeout, 0, Duration.ZERO, 0, maxOutputChars), Map.of()),
                EngineObserver.NONE);
    }

    public ToolExecutor(ToolRegistry registry, ToolPolicy defaults, Map<String, ToolPolicy> perTool) {
        this(registry, new ToolPolicies(defaults, perTool), EngineObserver.NONE);
    }

    private ToolExecutor(ToolRegistry registry, ToolPolicies policies, EngineObserver observer) {
        this.registry = registry;
        this.policies = policies;
        this.observer = observer;
    }

    private static ToolPolicy defaults(EngineConfig config) {
        return new ToolPolicy(config.toolTimeout(), config.toolMaxRetries(), config.toolRetryBackoff(), 0,
                config.toolMaxOutputChars());
    }

    /** Whether the named tool is declared as needing a human's approval before each call. */
    public boolean requiresApproval(String name) {
        return registry.find(name).map(ToolHandle::requiresApproval).orElse(false);
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
            return Uni.createFrom().item(failure(invocation, "Unknown tool '" + name + "'. Use only the tools offered.", 0));
        }
        return attempt(handle, invocation, policies.of(name), cancelled, 0, observation.propagationHeaders());
    }

    /** One try of the call, and the retries after it while its failure is retryable. */
    private Uni<ToolOutcome> attempt(ToolHandle handle, ToolInvocation invocation, ToolPolicy policy,
            BooleanSupplier cancelled, int retry, Map<String, String> traceHeaders) {
        RunToolContext context = new RunToolContext(invocation, cancelled, retry, traceHeaders);
        return limited(handle.name(), invokeOnce(handle, invocation, context).ifNoItem().after(policy.timeout()).fail())
                .map(output -> new ToolOutcome(invocation.call().id(), handle.name(), truncate(output, policy), false,
                        invocation.attempt(), context.statePatch(), retry))
                .onFailure().recoverWithUni(error -> {
                    Throwable cause = unwrap(error);
                    if (cause instanceof ToolException toolError && toolError.retryable() && retry < policy.maxRetries()
                            && !cancelled.getAsBoolean()) {
                        Duration pause = policy.backoff(retry + 1);
                        LOG.debugf("Tool %s failed retryably (%s); retry %d in %s", handle.name(),
                                toolError.getMessage(), retry + 1, pause);
                        return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                                .chain(() -> attempt(handle, invocation, policy, cancelled, retry + 1, traceHeaders));
                    }
                    return Uni.createFrom().item(failure(invocation, describe(invocation, handle.name(), cause, policy), retry));
                });
    }

    private Uni<String> invokeOnce(ToolHandle handle, ToolInvocation invocation, RunToolContext context) {
        // invokeJson validates the model's arguments against the schema before the tool is called.
        String arguments = invocation.call().arguments();
        // A blocking tool is started on a virtual thread and awaited as a future, so that the timeout
        // runs while the tool does (runSubscriptionOn would start the clock only after it returned).
        return handle.blocking()
                ? Uni.createFrom().completionStage(() -> CompletableFuture
                        .supplyAsync(() -> handle.invokeJson(arguments, context), virtualThreads)
                        .thenCompose(stage -> stage))
                : Uni.createFrom().completionStage(() -> handle.invokeJson(arguments, context));
    }

    /**
     * The call under the tool's concurrency limit, if it has one: it starts once a permit is
     * free (the wait does not count against the tool timeout; the run's own limit bounds it),
     * and gives the permit back when it ends, fails, times out or is abandoned.
     */
    private Uni<String> limited(String tool, Uni<String> call) {
        Optional<ConcurrencyLimit> limit = policies.limit(tool);
        if (limit.isEmpty()) {
            return call;
        }
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> permit = limit.get().acquire();
            return Uni.createFrom().completionStage(permit)
                    .chain(() -> call)
                    .onTermination().invoke(() -> {
                        // cancel() fails once the permit was granted: then it is ours to give back.
                        if (!permit.cancel(false)) {
                            limit.get().release();
                        }
                    });
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private String describe(ToolInvocation invocation, String name, Throwable cause, ToolPolicy policy) {
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
            return "The tool '" + name + "' timed out after " + policy.timeout().toSeconds() + " s.";
        }
        LogContext.of(invocation.tenantId(), invocation.sessionId(), invocation.runId(),
                () -> LOG.errorf(cause, "Tool %s threw an unexpected exception", name));
        return "The tool '" + name + "' failed with an internal error.";
    }

    private ToolOutcome failure(ToolInvocation invocation, String message, int retries) {
        return new ToolOutcome(invocation.call().id(), invocation.call().name(), message, true,
                invocation.attempt(), Map.of(), retries);
    }

    private static String truncate(String output, ToolPolicy policy) {
        String text = output == null ? "" : output;
        int max = policy.maxOutputChars();
        return text.length() <= max ? text : text.substring(0, max) + TRUNCATION_MARKER;
    }
}
