package dev.berth.model;

import java.util.Objects;

/** One event of a streaming Responses API call; always ends with {@link Completed} unless it fails. */
public sealed interface ResponseStreamEvent {

    /** A piece of output text. */
    record TextDelta(int outputIndex, String text) implements ResponseStreamEvent {
    }

    /** The model started a function call; its arguments follow as {@link FunctionCallArgumentsDelta}s with the same {@code itemId}. */
    record FunctionCallStarted(int outputIndex, String itemId, String callId, String name) implements ResponseStreamEvent {
    }

    /** A piece of a function call's arguments. */
    record FunctionCallArgumentsDelta(int outputIndex, String itemId, String delta) implements ResponseStreamEvent {
    }

    /** The final response ({@code response.completed} or {@code response.incomplete}). */
    record Completed(ResponseResult result) implements ResponseStreamEvent {
        public Completed {
            Objects.requireNonNull(result, "result");
        }
    }
}
