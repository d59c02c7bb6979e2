package dev.berth.runtime.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * A piece of an answer while the model is still generating it: best effort, never stored.
 * The committed {@code assistant.message} event is the truth; a delta only lets a client show
 * the answer early.
 *
 * @param step   the model call of the run it belongs to (1 for the run's first)
 * @param offset where {@code text} starts in the answer; 0 again means the call was made again
 */
public record AssistantDelta(UUID sessionId, UUID runId, int step, int offset, String text) {
    public AssistantDelta {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(text, "text");
    }
}
