package dev.berth.runtime.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A tool the agent's model may call but Berth never executes: the run pauses
 * ({@code requires_action}) and the client sends the output.
 *
 * @param parameters the JSON schema of the arguments object, sent to the model as is (not strict)
 */
public record ClientTool(String name, String description, ObjectNode parameters) {
    public ClientTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        description = description == null ? "" : description;
        parameters = parameters.deepCopy();
    }

    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }
}
