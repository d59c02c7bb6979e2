package dev.berth.toolserver.internal;

import dev.berth.tool.ToolContext;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link ToolContext} of a call that arrived over MCP: the ids Berth sends in the
 * request's {@code _meta} ({@code dev.berth/...} keys). A client that is not Berth sends none;
 * the call then gets a fresh call id and an idempotency key of its own.
 *
 * <p>The session's state lives in Berth, not here: {@link #state()} is empty and
 * {@link #putState} is refused, so a remote tool never believes it saved something it did not.
 */
public final class MetaToolContext implements ToolContext {
    static final String PREFIX = "dev.berth/";

    private final Map<String, Object> meta;
    private final String callId;

    public MetaToolContext(Map<String, Object> meta) {
        this.meta = meta == null ? Map.of() : Map.copyOf(withoutNulls(meta));
        String given = text("callId");
        this.callId = given.isEmpty() ? "mcp-" + UUID.randomUUID() : given;
    }

    @Override
    public String tenantId() {
        return text("tenantId");
    }

    @Override
    public String sessionId() {
        return text("sessionId");
    }

    @Override
    public String runId() {
        return text("runId");
    }

    @Override
    public String actorId() {
        return text("actorId");
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String idempotencyKey() {
        String given = text("idempotencyKey");
        return given.isEmpty() ? runId() + ":" + callId : given;
    }

    @Override
    public int attempt() {
        Object value = meta.get(PREFIX + "attempt");
        return value instanceof Number number ? Math.max(1, number.intValue()) : 1;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of();
    }

    @Override
    public void putState(String key, Object value) {
        throw new UnsupportedOperationException("The session's state is not available to tools served over MCP;"
                + " return what the agent should remember in the tool's result instead");
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    private String text(String key) {
        Object value = meta.get(PREFIX + key);
        return value == null ? "" : value.toString();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> meta) {
        Map<String, Object> copy = new java.util.HashMap<>(meta);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
