package dev.berth.model;

/** Why the model stopped. */
public enum FinishReason {
    STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER, UNKNOWN;

    public static FinishReason fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value) {
            case "stop" -> STOP;
            case "length" -> LENGTH;
            case "tool_calls", "function_call" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            default -> UNKNOWN;
        };
    }
}
