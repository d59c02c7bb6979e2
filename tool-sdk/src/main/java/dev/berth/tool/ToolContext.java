package dev.berth.tool;

import java.util.Map;
import java.util.Optional;

/**
 * What a tool knows about the call it is serving. Passed to a {@link Tool} method that
 * declares a parameter of this type.
 *
 * <p>Threading: a context belongs to one call; it may be used from the thread the tool
 * runs on and from threads the tool starts, but not after the call returned.
 */
public interface ToolContext {

    String tenantId();

    String sessionId();

    String runId();

    /** The end user the session belongs to. */
    String actorId();

    /** The id the model gave this call. */
    String callId();

    /**
     * A key that is the same every time this call is executed ({@code runId:callId}).
     * Calls are at-least-once: use it to make side effects idempotent.
     */
    default String idempotencyKey() {
        return runId() + ":" + callId();
    }

    /** 1 for the first execution; more when a run was resumed after its process died mid-call. */
    int attempt();

    /** Whether this call may have been executed before. */
    default boolean isRetry() {
        return attempt() > 1;
    }

    /** A snapshot of the session's key-value state, as it was when the call started. */
    Map<String, Object> state();

    /** Reads one key of the session's state. */
    default Optional<Object> state(String key) {
        return Optional.ofNullable(state().get(key));
    }

    /**
     * Sets a key of the session's state; committed with the tool's result, so it is lost
     * with the result if the call is executed again. The value is merged as a JSON Merge Patch
     * (RFC 7386): a null value removes the key; a map merges into the map the key holds, where a
     * null value removes a nested key; anything else (text, number, boolean, list) replaces it.
     */
    void putState(String key, Object value);

    /** Whether the run was cancelled; long-running tools should check it and stop. */
    boolean isCancelled();
}
