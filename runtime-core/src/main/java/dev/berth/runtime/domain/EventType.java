package dev.berth.runtime.domain;

/** The event types of a session's log, as they appear on the wire. */
public final class EventType {
    /** Input from the actor: {@code {"text"}}. */
    public static final String USER_MESSAGE = "user.message";
    /** A model answer: {@code {"text", "toolCalls":[{"id","name","arguments"}], "finishReason", "final"}}. */
    public static final String ASSISTANT_MESSAGE = "assistant.message";
    /** The output of a tool call: {@code {"callId","name","output","error","attempt","retry"}}. */
    public static final String TOOL_RESULT = "tool.result";
    /** A run failed: {@code {"code","message"}}. */
    public static final String RUN_FAILED = "run.failed";
    /** A run was cancelled: {@code {"reason"}}. */
    public static final String RUN_CANCELLED = "run.cancelled";

    /**
     * Older events were folded into a summary: {@code {"summary", "fromSeq", "throughSeq", "events"}}.
     * The newest one is the session's rolling summary; events up to {@code throughSeq} are no longer read
     * into the context.
     */
    public static final String CONTEXT_COMPACTED = "context.compacted";

    private EventType() {
    }
}
