package dev.berth.model.fake;

import dev.berth.model.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of the {@link FakeModelServer}. Replies are consumed in order, one per
 * model request; when none is left the server answers with its deterministic demo brain.
 * Every reply can carry its own latency (before the first byte).
 */
public sealed interface FakeReply {

    /** Delay before the first byte; null uses the server's default latency. */
    Duration latency();

    /** A copy of this reply answered after {@code latency}. */
    FakeReply withLatency(Duration latency);

    /** A text answer, {@code finish_reason} as given (usually {@code stop}). */
    record Text(String content, String finishReason, Duration latency) implements FakeReply {
        public Text {
            Objects.requireNonNull(content, "content");
            finishReason = finishReason == null ? "stop" : finishReason;
        }

        @Override
        public Text withLatency(Duration d) {
            return new Text(content, finishReason, d);
        }
    }

    /** An answer calling tools ({@code finish_reason: tool_calls}, {@code content: null}). */
    record ToolCalls(List<ToolCall> calls, Duration latency) implements FakeReply {
        public ToolCalls {
            calls = List.copyOf(calls);
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("at least one tool call");
            }
        }

        @Override
        public ToolCalls withLatency(Duration d) {
            return new ToolCalls(calls, d);
        }
    }

    /** An error answer {@code {"error":{"message","type","param","code"}}} with extra headers (e.g. Retry-After). */
    record Error(int status, String code, String message, Map<String, String> headers, Duration latency)
            implements FakeReply {
        public Error {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("error status must be 4xx or 5xx");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            message = message == null ? "fake error" : message;
        }

        /** A copy with an extra response header. */
        public Error withHeader(String name, String value) {
            var next = new java.util.LinkedHashMap<>(headers);
            next.put(name, value);
            return new Error(status, code, message, next, latency);
        }

        @Override
        public Error withLatency(Duration d) {
            return new Error(status, code, message, headers, d);
        }
    }

    /** A verbatim answer: any status, body and headers (malformed JSON, Azure content-filter shapes, ...). */
    record Raw(int status, String body, Map<String, String> headers, Duration latency) implements FakeReply {
        public Raw {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        @Override
        public Raw withLatency(Duration d) {
            return new Raw(status, body, headers, d);
        }
    }

    /** Closes the connection without answering (a crashed proxy or pod). */
    record Drop(Duration latency) implements FakeReply {
        @Override
        public Drop withLatency(Duration d) {
            return new Drop(d);
        }
    }

    /**
     * Streams {@code reply} but drops the connection after {@code afterChunks} SSE events (a
     * non-streaming request gets a dropped connection at once).
     */
    record DropMidStream(FakeReply reply, int afterChunks, Duration latency) implements FakeReply {
        public DropMidStream {
            Objects.requireNonNull(reply, "reply");
            if (afterChunks < 0) {
                throw new IllegalArgumentException("afterChunks must be >= 0");
            }
        }

        @Override
        public DropMidStream withLatency(Duration d) {
            return new DropMidStream(reply, afterChunks, d);
        }
    }

    /** Streams {@code reply}, but one SSE event after {@code afterChunks} carries malformed JSON. */
    record MalformedChunk(FakeReply reply, int afterChunks, Duration latency) implements FakeReply {
        public MalformedChunk {
            Objects.requireNonNull(reply, "reply");
        }

        @Override
        public MalformedChunk withLatency(Duration d) {
            return new MalformedChunk(reply, afterChunks, d);
        }
    }

    static Text text(String content) {
        return new Text(content, "stop", null);
    }

    static ToolCalls toolCalls(ToolCall... calls) {
        return new ToolCalls(List.of(calls), null);
    }

    /** One tool call with a generated id {@code call_...}. */
    static ToolCalls toolCall(String name, String argumentsJson) {
        return new ToolCalls(List.of(new ToolCall(dev.berth.model.fake.internal.ChatCompletions.newId("call_"), name,
                argumentsJson)), null);
    }

    static Error error(int status, String code, String message) {
        return new Error(status, code, message, Map.of(), null);
    }

    /** A 429 with {@code Retry-After} (seconds) and Azure's {@code retry-after-ms}. */
    static Error throttled(Duration retryAfter) {
        return new Error(429, "429", "Rate limit is exceeded. Try again later.",
                Map.of("retry-after", String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)),
                        "retry-after-ms", String.valueOf(retryAfter.toMillis())), null);
    }

    static Raw raw(int status, String body) {
        return new Raw(status, body, Map.of("content-type", "application/json"), null);
    }

    static Drop drop() {
        return new Drop(null);
    }

    /** {@code reply} streamed, then the connection dropped after {@code afterChunks} events. */
    static DropMidStream dropMidStream(FakeReply reply, int afterChunks) {
        return new DropMidStream(reply, afterChunks, null);
    }
}
