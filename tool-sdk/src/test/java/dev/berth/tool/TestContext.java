package dev.berth.tool;

import java.util.HashMap;
import java.util.Map;

/** A plain {@link ToolContext} for tests; records state writes. */
public final class TestContext implements ToolContext {

    final Map<String, Object> state = new HashMap<>();
    volatile boolean cancelled;

    @Override
    public String tenantId() {
        return "tenant-1";
    }

    @Override
    public String sessionId() {
        return "session-1";
    }

    @Override
    public String runId() {
        return "run-1";
    }

    @Override
    public String actorId() {
        return "actor-1";
    }

    @Override
    public String callId() {
        return "call-1";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Map<String, Object> state() {
        return Map.copyOf(state);
    }

    @Override
    public void putState(String key, Object value) {
        if (value == null) {
            state.remove(key);
        } else {
            state.put(key, value);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }
}
