package dev.berth.runtime.tools;

import java.util.Map;

/**
 * What a tool call produced: the text for the model, whether it is an error, and the state
 * keys the tool set (committed together with the result).
 *
 * @param attempt how often the call was started across takeovers (1 normally)
 * @param retries how often it was tried again within this attempt after a retryable error
 */
public record ToolOutcome(String callId, String name, String output, boolean error, int attempt,
        Map<String, Object> statePatch, int retries) {

    public ToolOutcome(String callId, String name, String output, boolean error, int attempt,
            Map<String, Object> statePatch) {
        this(callId, name, output, error, attempt, statePatch, 0);
    }
}
