package dev.berth.runtime.domain;

/** The event types of a session's log, as they appear on the wire. */
public final class EventType {
    /** Input from the actor: {@code {"text"}}. */
    public static final String USER_MESSAGE = "user.message";
    /** A model answer: {@code {"text", "toolCalls":[{"id","name","arguments"}], "finishReason", "final"}}. */
    public static final String ASSISTANT_MESSAGE = "assistant.message";
    /**
     * The output of a tool call: {@code {"callId","name","output","error","attempt","retry","retries"}};
     * {@code "source":"client"} when a client sent it, {@code "denied":true} when a human denied the call.
     */
    public static final String TOOL_RESULT = "tool.result";
    /** A run failed: {@code {"code","message"}}. */
    public static final String RUN_FAILED = "run.failed";
    /**
     * A run paused for results from outside and released its lease:
     * {@code {"calls":[{"callId","kind","name","arguments"}]}}; answer with {@code POST /v1/runs/{id}/actions}.
     */
    public static final String RUN_REQUIRES_ACTION = "run.requires_action";
    /** Every pending action of a paused run is answered; it is queued again: {@code {}}. */
    public static final String RUN_RESUMED = "run.resumed";
    /** A server-side call waits for a human's decision: {@code {"callId","name","arguments"}}. */
    public static final String APPROVAL_REQUESTED = "approval.requested";
    /** A human decided on a call: {@code {"callId","name","approved","reason"}}. */
    public static final String APPROVAL_DECISION = "approval.decision";
    /** A run was cancelled: {@code {"reason"}}. */
    public static final String RUN_CANCELLED = "run.cancelled";

    /** The session was handed to another agent: {@code {"from","fromVersion","to","toVersion","callId"}}. */
    public static final String HANDOFF = "handoff";
    /** A sub-agent call started a child run: {@code {"callId","agent","agentVersion","childSessionId","childRunId"}}. */
    public static final String SUBAGENT_STARTED = "subagent.started";
    /**
     * A child run settled and its result went to the parent's pending call:
     * {@code {"callId","agent","childSessionId","childRunId","status","output","error"}}.
     */
    public static final String SUBAGENT_FINISHED = "subagent.finished";
    /**
     * Older events were folded into a summary: {@code {"summary", "fromSeq", "throughSeq", "events"}}.
     * The newest one is the session's rolling summary; events up to {@code throughSeq} are no longer read
     * into the context.
     */
    public static final String CONTEXT_COMPACTED = "context.compacted";
    /**
     * An earlier event (a conversation item) is hidden from later model calls and item lists:
     * {@code {"seq"}}. The hidden event stays in the log, which is never rewritten (ADR 0039).
     */
    public static final String ITEM_HIDDEN = "item.hidden";

    private EventType() {
    }
}
