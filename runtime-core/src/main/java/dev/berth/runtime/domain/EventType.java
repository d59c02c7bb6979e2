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

    /** The session was handed to another agent: {@code {"from","fromVersion","to","toVersion","callId"}}. */
    public static final String HANDOFF = "handoff";
    /** A sub-agent call started a child run: {@code {"callId","agent","agentVersion","childSessionId","childRunId"}}. */
    public static final String SUBAGENT_STARTED = "subagent.started";
    /**
     * A child run settled and its result went to the parent's pending call:
     * {@code {"callId","agent","childSessionId","childRunId","status","output","error"}}.
     */
    public static final String SUBAGENT_FINISHED = "subagent.finished";

    private EventType() {
    }
}
