package dev.berth.model;

import java.util.List;
import java.util.Objects;

/**
 * An item of the Responses API, as input or output. Without server-side storage the client
 * replays a previous answer's output items (including {@link Reasoning} with its encrypted
 * content) as input of the next call.
 */
public sealed interface ResponseItem {

    /** A message; {@code role} is user, assistant, system or developer. {@code id} may be null. */
    record Message(String role, String text, String id) implements ResponseItem {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(text, "text");
        }

        public static Message user(String text) {
            return new Message("user", text, null);
        }
    }

    /** A function call requested by the model; answered by a {@link FunctionCallOutput} with the same {@code callId}. */
    record FunctionCall(String id, String callId, String name, String arguments) implements ResponseItem {
        public FunctionCall {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            arguments = arguments == null ? "{}" : arguments;
        }
    }

    /** The output of a function call. */
    record FunctionCallOutput(String callId, String output) implements ResponseItem {
        public FunctionCallOutput {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(output, "output");
        }
    }

    /** The model's reasoning, opaque to us, replayed so the model keeps its chain of thought. */
    record Reasoning(String id, List<String> summary, String encryptedContent) implements ResponseItem {
        public Reasoning {
            Objects.requireNonNull(id, "id");
            summary = summary == null ? List.of() : List.copyOf(summary);
        }
    }
}
