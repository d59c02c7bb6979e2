package dev.berth.runtime.tools;

import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.tool.ToolContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import java.util.function.BooleanSupplier;

/** The {@link ToolContext} of one call; collects state writes to commit with its result. */
final class RunToolContext implements ToolContext, TraceHeaders {
    private final ToolInvocation invocation;
    private final BooleanSupplier cancelled;
    private final int retry;
    private final Map<String, String> traceHeaders;
    // HashMap semantics for null values (a removal), guarded because tools may write from their own threads.
    private final Map<String, Object> patch = Collections.synchronizedMap(new HashMap<>());

    RunToolContext(ToolInvocation invocation, BooleanSupplier cancelled) {
        this(invocation, cancelled, 0, Map.of());
    }

    /**
     * @param retry         how often the call was tried again in this step before (0 for the first try)
     * @param traceHeaders  the trace context to propagate to remote tools
     */
    RunToolContext(ToolInvocation invocation, BooleanSupplier cancelled, int retry, Map<String, String> traceHeaders) {
        this.invocation = invocation;
        this.cancelled = cancelled;
        this.retry = retry;
        this.traceHeaders = Map.copyOf(traceHeaders);
    }

    @Override
    public String tenantId() {
        return invocation.tenantId();
    }

    @Override
    public String sessionId() {
        return invocation.sessionId().toString();
    }

    @Override
    public String runId() {
        return invocation.runId().toString();
    }

    @Override
    public String actorId() {
        return invocation.actorId();
    }

    @Override
    public String callId() {
        return invocation.call().id();
    }

    @Override
    public String idempotencyKey() {
        return invocation.idempotencyKey();
    }

    @Override
    public int attempt() {
        // Every execution of the call counts: starts across takeovers and retries within a step.
        return invocation.attempt() + retry;
    }

    @Override
    public Map<String, Object> state() {
        return Collections.unmodifiableMap(invocation.state());
    }

    @Override
    public void putState(String key, Object value) {
        patch.put(key, value);
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    @Override
    public Map<String, String> traceHeaders() {
        return traceHeaders;
    }

    Map<String, Object> statePatch() {
        synchronized (patch) {
            return new HashMap<>(patch);
        }
    }

}
