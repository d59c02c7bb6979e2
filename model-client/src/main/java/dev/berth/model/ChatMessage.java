package dev.berth.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of a chat-completions conversation. The model API is stateless, so the
 * runtime rebuilds the whole list from its event log for every call.
 */
public sealed interface ChatMessage {

    /** Instructions for the model; sent as {@code system} (or {@code developer} where configured). */
    record System(String content) implements ChatMessage {
        public System {
            Objects.requireNonNull(content, "content");
        }
    }

    /** Input from the end user. */
    record User(String content) implements ChatMessage {
        public User {
            Objects.requireNonNull(content, "content");
        }
    }

    /** A previous answer of the model: text, tool calls, or both. */
    record Assistant(String content, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            if (content == null && toolCalls.isEmpty()) {
                throw new IllegalArgumentException("an assistant message needs content or tool calls");
            }
        }

        public static Assistant text(String content) {
            return new Assistant(content, List.of());
        }
    }

    /** The output of a tool call, answering the assistant's call with the same id. */
    record Tool(String toolCallId, String content) implements ChatMessage {
        public Tool {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(content, "content");
        }
    }
}
