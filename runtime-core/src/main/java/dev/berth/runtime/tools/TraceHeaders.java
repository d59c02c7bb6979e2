package dev.berth.runtime.tools;

import java.util.Map;

/**
 * Implemented by the {@link dev.berth.tool.ToolContext} Berth gives tools: the headers that
 * carry the tool call's trace context ({@code traceparent}, {@code tracestate}), for tools that
 * call further services. Remote tools (MCP) send them with the call. Empty when not traced.
 */
public interface TraceHeaders {
    Map<String, String> traceHeaders();

    /** The context's trace headers, or none when the context does not carry them. */
    static Map<String, String> of(Object context) {
        return context instanceof TraceHeaders carrier ? carrier.traceHeaders() : Map.of();
    }
}
