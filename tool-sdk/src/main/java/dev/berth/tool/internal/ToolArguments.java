package dev.berth.tool.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.berth.tool.InvalidArgumentsException;

/** Parses the arguments text a model wrote for a tool call. Thread safe. */
public final class ToolArguments {

    /**
     * Duplicate keys are an error rather than "last one wins": a model that writes a key
     * twice is confused about the call, and silently picking one value hides that.
     */
    private static final ObjectReader READER = ToolJson.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ToolArguments() {
    }

    /** @throws InvalidArgumentsException when the text is not one JSON value */
    public static JsonNode parse(String toolName, String argumentsJson) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return ToolJson.NODES.objectNode();
        }
        try {
            return READER.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentsException("Invalid arguments for tool '" + toolName + "': the arguments are"
                    + " not valid JSON (" + e.getOriginalMessage() + "). Send one JSON object and call the tool again.");
        }
    }
}
