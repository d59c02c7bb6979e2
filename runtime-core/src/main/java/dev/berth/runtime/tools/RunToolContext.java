package dev.berth.runtime.tools;

import dev.berth.tool.ToolContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import java.util.function.BooleanSupplier;

/** The {@link ToolContext} of one call; collects state writes to commit with its result. */
final class RunToolContext implements ToolContext, TraceHeaders {
    private final ToolInvocation invocation;
    private final BooleanSupplier cancelled;
    private final Map<String, String> traceHeaders;
    // HashMap semantics for null values (a removal), guarded because tools may write from their own threads.
    private final Map<String, Object> patch = Collections.synchronizedMap(new HashMap<>());

    RunToolContext(ToolInvocation invocation, BooleanSupplier cancelled, Map<String, String> traceHeaders) {
        this.invocation = invocation;
        this.cancelled = cancelled;
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
        return invocation.attempt();
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
