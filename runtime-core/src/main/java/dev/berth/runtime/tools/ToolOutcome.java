package dev.berth.runtime.tools;

import java.util.Map;

/**
 * What a tool call produced: the text for the model, whether it is an error, and the state
 * keys the tool set (committed together with the result).
 */
public record ToolOutcome(String callId, String name, String output, boolean error, int attempt,
        Map<String, Object> statePatch) {
}
