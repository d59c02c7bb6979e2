package dev.berth.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name        function name ({@code ^[a-zA-Z0-9_-]{1,64}$})
 * @param description what the function does, for the model
 * @param parameters  JSON schema of the arguments object
 * @param strict      whether the provider must follow the schema exactly
 */
public record ToolDefinition(String name, String description, ObjectNode parameters, boolean strict) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("invalid tool name: " + name);
        }
    }
}
