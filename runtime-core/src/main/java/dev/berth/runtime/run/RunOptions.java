package dev.berth.runtime.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ResponseFormat;
import dev.berth.model.ToolChoice;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run sets for itself on top of its agent (ADR 0036): stored with the run ({@code runs.options},
 * written by the statement that queues it) and read back by whichever process executes or shows it.
 * Every field is optional; {@link #NONE} is a run exactly as its agent defines it.
 *
 * @param instructions      added after the agent's instructions, for this run only; null for none
 * @param clientTools       function tools of this run only, executed by the client like an agent's
 *                          client tools (the run pauses {@code requires_action} when the model calls one)
 * @param toolChoice        for the run's first model call; later calls of the run are {@code auto}
 *                          (see {@link #toolChoiceAt}); null for the model's default
 * @param parallelToolCalls null for the model's default
 * @param maxOutputTokens   the most tokens one model answer may have; the smaller of it and the agent's
 *                          {@code maxCompletionTokens} applies; null for the agent's
 * @param temperature       0 to 2; null for the model's default
 * @param responseFormat    structured output; {@link #JSON_OBJECT} for "any JSON object"; null for text
 * @param metadata          the client's string pairs, stored and shown, never sent to the model
 */
public record RunOptions(String instructions, List<ClientTool> clientTools, ToolChoice toolChoice,
        Boolean parallelToolCalls, Integer maxOutputTokens, Double temperature, ResponseFormat responseFormat,
        Map<String, String> metadata) {
    /** A run as its agent defines it. */
    public static final RunOptions NONE = new RunOptions(null, List.of(), null, null, null, null, null, Map.of());
    /**
     * JSON mode as a schema: any JSON object. The model client speaks only {@code json_schema}, which
     * every deployment that has JSON mode also takes; kept apart from a client's schema by this name.
     */
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat("json_object",
            DocumentJson.object().put("type", "object"), false);
    /** OpenAI's limits on metadata: pairs, key and value length. */
    public static final int MAX_METADATA_PAIRS = 16;
    public static final int MAX_METADATA_KEY = 64;
    public static final int MAX_METADATA_VALUE = 512;

    public RunOptions {
        clientTools = clientTools == null ? List.of() : List.copyOf(clientTools);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Whether the run is exactly as its agent defines it (nothing is stored then). */
    public boolean none() {
        return equals(NONE);
    }

    /**
     * The checks every run's options pass, whichever API they came by: field names are the native
     * ones, or, for the fields {@code names} maps, the caller's (OpenAI's {@code tools}...).
     *
     * @throws ValidationException naming every field at fault
     */
    public RunOptions validated(Map<String, String> names) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (instructions != null && (instructions.isBlank() || instructions.length() > InputLimits.MAX_TEXT_CHARS)) {
            errors.put(name(names, "instructions"), "must be 1-" + InputLimits.MAX_TEXT_CHARS + " characters");
        }
        ClientTool.validate(clientTools, name(names, "clientTools"), new HashSet<>(), errors);
        if (toolChoice instanceof ToolChoice.Function forced
                && clientTools.stream().noneMatch(tool -> tool.name().equals(forced.name()))) {
            errors.put(name(names, "toolChoice"), "names '" + forced.name() + "', which is not one of the tools given");
        }
        if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > InputLimits.MAX_COMPLETION_TOKENS)) {
            errors.put(name(names, "maxOutputTokens"), "must be between 1 and " + InputLimits.MAX_COMPLETION_TOKENS);
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            errors.put(name(names, "temperature"), "must be between 0 and 2");
        }
        String field = name(names, "metadata");
        if (metadata.size() > MAX_METADATA_PAIRS) {
            errors.put(field, "must have at most " + MAX_METADATA_PAIRS + " pairs");
        }
        metadata.forEach((key, value) -> {
            if (key.length() > MAX_METADATA_KEY) {
                errors.put(field, "keys must be at most " + MAX_METADATA_KEY + " characters");
            } else if (value.length() > MAX_METADATA_VALUE) {
                errors.put(field + "." + key, "must be at most " + MAX_METADATA_VALUE + " characters");
            }
        });
        if (!errors.isEmpty()) {
            Map.Entry<String, String> first = errors.entrySet().iterator().next();
            throw new ValidationException(first.getKey() + ": " + first.getValue(), errors);
        }
        return this;
    }

    private static String name(Map<String, String> names, String field) {
        return names.getOrDefault(field, field);
    }

    /**
     * The agent as this run uses it: the run's instructions after the agent's, its client tools after the
     * agent's, and its answer limit. The engine applies this to the run's agent, and again to the agent
     * a handoff brings in.
     */
    public AgentDefinition applyTo(AgentDefinition agent) {
        if (instructions == null && clientTools.isEmpty() && maxOutputTokens == null) {
            return agent;
        }
        AgentSpec spec = agent.spec();
        String merged = instructions == null ? spec.instructions() : spec.instructions() + "\n\n" + instructions;
        List<ClientTool> tools = new ArrayList<>(spec.clientTools());
        tools.addAll(clientTools);
        AgentLimits limits = spec.limits();
        if (maxOutputTokens != null) {
            Integer own = limits.maxCompletionTokens();
            limits = new AgentLimits(limits.maxSteps(), own == null ? maxOutputTokens : Math.min(own, maxOutputTokens),
                    limits.runTimeout(), limits.maxRunTokens());
        }
        AgentSpec effective = new AgentSpec(merged, spec.model(), spec.tools(), limits, spec.inputPolicy(), tools,
                spec.approvalRequired(), spec.subAgents(), spec.handoffs(), spec.memory());
        return new AgentDefinition(agent.tenant(), agent.name(), agent.version(), effective, agent.createdAt());
    }

    /**
     * The tool choice of a model call, given the run's model calls before it: a forced choice
     * ({@code required}, a named function) holds for the first call only, or a run that resumes with
     * the tool's result would be forced to call again, and again, until its step limit.
     */
    public ToolChoice toolChoiceAt(int modelCallsBefore) {
        if (modelCallsBefore > 0 && toolChoice != null && !toolChoice.equals(ToolChoice.NONE)) {
            return ToolChoice.AUTO;
        }
        return toolChoice;
    }

    /** The stored form ({@code runs.options}), or null for {@link #NONE}. */
    public String toJson() {
        if (none()) {
            return null;
        }
        ObjectNode node = DocumentJson.object();
        if (instructions != null) {
            node.put("instructions", instructions);
        }
        if (!clientTools.isEmpty()) {
            ArrayNode tools = node.putArray("clientTools");
            clientTools.forEach(tool -> tools.addObject().put("name", tool.name())
                    .put("description", tool.description()).set("parameters", tool.parameters()));
        }
        switch (toolChoice) {
            case null -> { }
            case ToolChoice.Mode mode -> node.put("toolChoice", mode.value());
            case ToolChoice.Function function -> node.putObject("toolChoice").put("function", function.name());
        }
        if (parallelToolCalls != null) {
            node.put("parallelToolCalls", parallelToolCalls);
        }
        if (maxOutputTokens != null) {
            node.put("maxOutputTokens", maxOutputTokens);
        }
        if (temperature != null) {
            node.put("temperature", temperature);
        }
        if (responseFormat != null) {
            node.putObject("responseFormat").put("name", responseFormat.name()).put("strict", responseFormat.strict())
                    .set("schema", responseFormat.schema());
        }
        if (!metadata.isEmpty()) {
            ObjectNode pairs = node.putObject("metadata");
            metadata.forEach(pairs::put);
        }
        return DocumentJson.write(node);
    }

    /** The options as stored; null or absent is {@link #NONE}. Fields this release does not know are ignored. */
    public static RunOptions fromJson(String json) {
        if (json == null) {
            return NONE;
        }
        JsonNode node = DocumentJson.readObject(json);
        List<ClientTool> tools = new ArrayList<>();
        node.path("clientTools").forEach(tool -> tools.add(new ClientTool(tool.path("name").asText(),
                tool.path("description").asText(""), (ObjectNode) tool.path("parameters"))));
        JsonNode choice = node.path("toolChoice");
        ToolChoice toolChoice = choice.isTextual() ? new ToolChoice.Mode(choice.asText())
                : choice.isObject() ? new ToolChoice.Function(choice.path("function").asText()) : null;
        JsonNode format = node.path("responseFormat");
        ResponseFormat responseFormat = format.isObject() ? new ResponseFormat(format.path("name").asText(),
                (ObjectNode) format.path("schema"), format.path("strict").asBoolean()) : null;
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(pair -> metadata.put(pair.getKey(), pair.getValue().asText()));
        return new RunOptions(node.path("instructions").textValue(), tools, toolChoice,
                node.path("parallelToolCalls").isBoolean() ? node.get("parallelToolCalls").booleanValue() : null,
                node.path("maxOutputTokens").isInt() ? node.get("maxOutputTokens").intValue() : null,
                node.path("temperature").isNumber() ? node.get("temperature").doubleValue() : null,
                responseFormat, metadata);
    }
}
