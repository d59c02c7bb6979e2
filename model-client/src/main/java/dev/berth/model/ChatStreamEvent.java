package dev.berth.model;

import java.util.Objects;

/**
 * One event of a streaming chat completion. A stream emits deltas as they arrive and always
 * ends with exactly one {@link Completed} carrying the assembled answer, usage and call info,
 * unless it fails.
 */
public sealed interface ChatStreamEvent {

    /** A piece of the answer text. */
    record TextDelta(String text) implements ChatStreamEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A piece of a tool call. The first delta of a call carries {@code id} and {@code name};
     * later ones carry only fragments of the arguments to append. Calls are keyed by {@code index}.
     */
    record ToolCallDelta(int index, String id, String name, String argumentsFragment) implements ChatStreamEvent {
    }

    /** The end of the stream: everything assembled, as a non-streaming call would have answered. */
    record Completed(ChatResponse response) implements ChatStreamEvent {
        public Completed {
            Objects.requireNonNull(response, "response");
        }
    }
}
