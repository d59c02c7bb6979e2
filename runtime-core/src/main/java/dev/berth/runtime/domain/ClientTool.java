package dev.berth.runtime.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tool the agent's model may call but Berth never executes: the run pauses
 * ({@code requires_action}) and the client sends the output.
 *
 * @param parameters the JSON schema of the arguments object, sent to the model as is (not strict)
 */
public record ClientTool(String name, String description, ObjectNode parameters) {
    /** A function name as the model services take it. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

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

    /**
     * The rules every list of client tools follows, an agent's or a single run's: at most
     * {@link InputLimits#MAX_CLIENT_TOOLS}, valid and distinct names none of which is in {@code taken},
     * an object schema and a description within their limits. Adds one message per field at fault.
     *
     * @param field  the list's field name in the request ({@code clientTools}, {@code tools})
     * @param taken  names the tools may not have (the agent's other tools); extended with the tools' names
     */
    public static void validate(List<ClientTool> tools, String field, Set<String> taken, Map<String, String> errors) {
        if (tools.size() > InputLimits.MAX_CLIENT_TOOLS) {
            errors.put(field, "at most " + InputLimits.MAX_CLIENT_TOOLS + " client-side tools");
        }
        for (int i = 0; i < tools.size(); i++) {
            ClientTool tool = tools.get(i);
            String at = field + "[" + i + "]";
            if (!NAME.matcher(tool.name()).matches()) {
                errors.put(at + ".name", "must be 1-64 letters, digits, '_' or '-'");
            } else if (!taken.add(tool.name())) {
                errors.put(at + ".name", "'" + tool.name() + "' is already a tool of the agent");
            }
            if (!"object".equals(tool.parameters.path("type").asText())) {
                errors.put(at + ".parameters", "must be a JSON schema with \"type\": \"object\"");
            } else if (DocumentJson.write(tool.parameters).length() > InputLimits.MAX_TOOL_SCHEMA_CHARS) {
                errors.put(at + ".parameters", "must be at most " + InputLimits.MAX_TOOL_SCHEMA_CHARS
                        + " characters as JSON");
            }
            if (tool.description().length() > InputLimits.MAX_TOOL_DESCRIPTION_CHARS) {
                errors.put(at + ".description", "must be at most " + InputLimits.MAX_TOOL_DESCRIPTION_CHARS
                        + " characters");
            }
        }
    }
}
