package dev.berth.model;

import java.util.Objects;

/**
 * A function call requested by the model.
 *
 * @param id        the call id chosen by the model; answered by a {@link ChatMessage.Tool}
 * @param name      the function name
 * @param arguments the arguments as the JSON text the model produced (it may be invalid JSON)
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "{}" : arguments;
    }
}
