package dev.berth.runtime.observe;

import java.util.Map;

/** One tool call under way; {@link #ended} is called once with its outcome. */
public interface ToolCallObservation {
    ToolCallObservation NONE = new ToolCallObservation() {
        @Override
        public void ended(boolean error) {
        }
    };

    /**
     * Headers that carry the call's trace context to a remote tool (W3C {@code traceparent},
     * {@code tracestate}); empty when nothing is traced. Sent by the MCP client over HTTP.
     */
    default Map<String, String> propagationHeaders() {
        return Map.of();
    }

    /** @param error whether the tool's outcome is an error the model reads (failure, timeout, unknown tool) */
    void ended(boolean error);
}
