package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ResponseFormat;
import dev.berth.model.ToolChoice;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.RunOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a {@code POST /openai/v1/responses} body that set the run itself (ADR 0036), read into
 * {@link RunOptions}, and their echo on the Response object, written from the options stored with the
 * run so that any process shows the same values. What Berth cannot honour is refused by name
 * ({@code param}), never ignored.
 */
final class ResponseOptions {
    /** The body fields read here. */
    static final Set<String> FIELDS = Set.of("instructions", "tools", "tool_choice", "parallel_tool_calls",
            "max_output_tokens", "text", "metadata", "include", "temperature");
    /** OpenAI's minimum for {@code max_output_tokens}. */
    static final int MIN_OUTPUT_TOKENS = 16;
    /** The engine's field names as this API calls them, for the checks {@link RunOptions#validated} makes. */
    private static final Map<String, String> NAMES = Map.of("clientTools", "tools", "toolChoice", "tool_choice",
            "maxOutputTokens", "max_output_tokens");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponseOptions() {
    }

    /** The run's options from the body; {@link RunOptions#NONE} when it sets none. */
    static RunOptions parse(JsonNode body) {
        include(body.get("include"));
        Integer maxOutputTokens = null;
        JsonNode max = present(body, "max_output_tokens");
        if (max != null) {
            if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < MIN_OUTPUT_TOKENS) {
                throw ValidationException.field("max_output_tokens", "must be an integer of at least " + MIN_OUTPUT_TOKENS);
            }
            maxOutputTokens = max.asInt();
        }
        RunOptions options = new RunOptions(string(body, "instructions"), tools(present(body, "tools")),
                toolChoice(present(body, "tool_choice")), bool(body, "parallel_tool_calls"), maxOutputTokens,
                number(body, "temperature"), format(present(body, "text")), metadata(present(body, "metadata")));
        return options.validated(NAMES);
    }

    /** OpenAI's {@code include}: each value names output Berth does not produce (no hosted tools, images, logprobs). */
    private static void include(JsonNode include) {
        if (include == null || include.isNull()) {
            return;
        }
        if (!include.isArray()) {
            throw ValidationException.field("include", "must be a list");
        }
        if (!include.isEmpty()) {
            throw ValidationException.field("include[0]", "'" + include.get(0).asText() + "' is not supported by"
                    + " Berth's OpenAI-compatible API: Berth has no such output to include");
        }
    }

    /** Function tools only: each becomes a client tool of this run. */
    private static List<ClientTool> tools(JsonNode tools) {
        if (tools == null) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ValidationException.field("tools", "must be a list of function tools");
        }
        List<ClientTool> found = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asText("");
            if (!"function".equals(type)) {
                throw ValidationException.field(at + ".type", "'" + type + "' tools are not supported by Berth's"
                        + " OpenAI-compatible API: only function tools, which the client executes");
            }
            if (!tool.path("name").isTextual()) {
                throw ValidationException.field(at + ".name", "is required");
            }
            JsonNode parameters = tool.path("parameters");
            if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
                throw ValidationException.field(at + ".parameters", "must be a JSON schema object");
            }
            JsonNode description = tool.path("description");
            found.add(new ClientTool(tool.get("name").asText(), description.isTextual() ? description.asText() : null,
                    parameters.isObject() ? (ObjectNode) parameters
                            : DocumentJson.object().put("type", "object").set("properties", DocumentJson.object())));
        }
        return found;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null) {
            return null;
        }
        if (choice.isTextual() && Set.of("none", "auto", "required").contains(choice.asText())) {
            return new ToolChoice.Mode(choice.asText());
        }
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
            return new ToolChoice.Function(choice.get("name").asText());
        }
        throw ValidationException.field("tool_choice", "must be none, auto, required or {\"type\": \"function\","
                + " \"name\": ...}: Berth offers no hosted tools to choose");
    }

    /** {@code text.format}: text, json_object or json_schema; {@code text.verbosity} at its default only. */
    private static ResponseFormat format(JsonNode text) {
        if (text == null) {
            return null;
        }
        if (!text.isObject()) {
            throw ValidationException.field("text", "must be an object");
        }
        JsonNode verbosity = text.path("verbosity");
        if (!verbosity.isMissingNode() && !verbosity.isNull() && !"medium".equals(verbosity.asText())) {
            throw ValidationException.field("text.verbosity", "is not supported by Berth's OpenAI-compatible API"
                    + " (only medium)");
        }
        JsonNode format = text.path("format");
        String type = format.path("type").asText("text");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> RunOptions.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode name = format.path("name");
                if (!name.isTextual() || !ClientTool.NAME.matcher(name.asText()).matches()) {
                    throw ValidationException.field("text.format.name", "must be 1-64 letters, digits, '_' or '-'");
                }
                if (!format.path("schema").isObject()) {
                    throw ValidationException.field("text.format.schema", "must be a JSON schema object");
                }
                yield new ResponseFormat(name.asText(), (ObjectNode) format.get("schema"),
                        format.path("strict").asBoolean(false));
            }
            default -> throw ValidationException.field("text.format.type", "must be text, json_object or json_schema");
        };
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (!metadata.isObject()) {
            throw ValidationException.field("metadata", "must be an object of string values");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        metadata.fields().forEachRemaining(pair -> {
            if (!pair.getValue().isTextual()) {
                throw ValidationException.field("metadata." + pair.getKey(), "must be a string");
            }
            pairs.put(pair.getKey(), pair.getValue().asText());
        });
        return pairs;
    }

    /**
     * Writes the options of the run into the Response object: the fields OpenAI echoes from the
     * request, from what is stored, so a read on any process shows what the run was given.
     */
    static void echo(ObjectNode response, RunOptions options) {
        if (options.instructions() != null) {
            response.put("instructions", options.instructions());
        }
        ArrayNode tools = NODES.arrayNode();
        // Client schemas are sent as given, not strict (as for an agent's client tools): shown as sent.
        options.clientTools().forEach(tool -> tools.addObject().put("type", "function").put("name", tool.name())
                .put("description", tool.description()).put("strict", false).set("parameters", tool.parameters()));
        response.set("tools", tools);
        switch (options.toolChoice()) {
            case null -> response.put("tool_choice", "auto");
            case ToolChoice.Mode mode -> response.put("tool_choice", mode.value());
            case ToolChoice.Function function ->
                    response.putObject("tool_choice").put("type", "function").put("name", function.name());
        }
        response.put("parallel_tool_calls", options.parallelToolCalls() == null || options.parallelToolCalls());
        if (options.maxOutputTokens() == null) {
            response.putNull("max_output_tokens");
        } else {
            response.put("max_output_tokens", options.maxOutputTokens());
        }
        if (options.temperature() != null) {
            response.put("temperature", options.temperature());
        }
        ObjectNode format = response.putObject("text").putObject("format");
        ResponseFormat chosen = options.responseFormat();
        if (chosen == null) {
            format.put("type", "text");
        } else if (chosen.equals(RunOptions.JSON_OBJECT)) {
            format.put("type", "json_object");
        } else {
            format.put("type", "json_schema").put("name", chosen.name()).put("strict", chosen.strict())
                    .set("schema", chosen.schema());
        }
        if (options.metadata().isEmpty()) {
            response.putNull("metadata");
        } else {
            ObjectNode metadata = response.putObject("metadata");
            options.metadata().forEach(metadata::put);
        }
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String string(JsonNode body, String field) {
        JsonNode value = present(body, field);
        if (value != null && !value.isTextual()) {
            throw ValidationException.field(field, "must be a string");
        }
        return value == null ? null : value.asText();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode value = present(body, field);
        if (value != null && !value.isBoolean()) {
            throw ValidationException.field(field, "must be true or false");
        }
        return value == null ? null : value.asBoolean();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = present(body, field);
        if (value != null && !value.isNumber()) {
            throw ValidationException.field(field, "must be a number");
        }
        return value == null ? null : value.asDouble();
    }
}
