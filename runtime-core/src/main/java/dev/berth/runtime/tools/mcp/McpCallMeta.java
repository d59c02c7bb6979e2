package dev.berth.runtime.tools.mcp;

import dev.berth.runtime.tools.TraceHeaders;
import dev.berth.tool.ToolContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Berth tells an MCP server about a call, in the {@code _meta} of {@code tools/call}:
 * the idempotency key above all (calls are at-least-once), and the ids a tool may log.
 * Keys carry the {@code dev.berth/} prefix, as MCP asks of vendor metadata. Berth's own tool
 * server reads them back into a {@link ToolContext}. The call's trace context, when traced, is
 * added as {@code traceparent} and {@code tracestate}.
 */
public final class McpCallMeta {
    public static final String PREFIX = "dev.berth/";
    public static final String IDEMPOTENCY_KEY = PREFIX + "idempotencyKey";
    public static final String TENANT_ID = PREFIX + "tenantId";
    public static final String SESSION_ID = PREFIX + "sessionId";
    public static final String RUN_ID = PREFIX + "runId";
    public static final String ACTOR_ID = PREFIX + "actorId";
    public static final String CALL_ID = PREFIX + "callId";
    public static final String ATTEMPT = PREFIX + "attempt";

    private McpCallMeta() {
    }

    public static Map<String, Object> of(ToolContext context) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (context == null) {
            return meta;
        }
        putIfPresent(meta, IDEMPOTENCY_KEY, context.idempotencyKey());
        putIfPresent(meta, TENANT_ID, context.tenantId());
        putIfPresent(meta, SESSION_ID, context.sessionId());
        putIfPresent(meta, RUN_ID, context.runId());
        putIfPresent(meta, ACTOR_ID, context.actorId());
        putIfPresent(meta, CALL_ID, context.callId());
        meta.put(ATTEMPT, context.attempt());
        // W3C trace context under its own names, as OpenTelemetry's MCP conventions place it in
        // params._meta: the only way through stdio, and read by servers that ignore HTTP headers.
        meta.putAll(TraceHeaders.of(context));
        return meta;
    }

    private static void putIfPresent(Map<String, Object> meta, String key, String value) {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
