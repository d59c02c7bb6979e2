package dev.berth.runtime.run.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.internal.DocumentJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an agent's team appears to its model: each sub-agent as a tool {@code agent__<name>} taking
 * {@code {"input": string}}, each handoff target as a tool {@code handoff__<name>} without
 * arguments. A '.' in an agent name becomes '_' in the tool name (tool names allow no dots).
 */
public final class TeamTools {
    public static final String AGENT_PREFIX = "agent__";
    public static final String HANDOFF_PREFIX = "handoff__";
    /** Tool names have at most 64 characters; the longest prefix leaves this many for the agent name. */
    public static final int MAX_MEMBER_NAME = 64 - HANDOFF_PREFIX.length();

    private TeamTools() {
    }

    /** What a call of the named tool means for this agent. */
    public sealed interface TeamCall {
        String agentName();
    }

    /** Run {@code agentName} in a child session and answer with its result. */
    public record SubAgentCall(String agentName) implements TeamCall {
    }

    /** Hand the session to {@code agentName}. */
    public record HandoffCall(String agentName) implements TeamCall {
    }

    public static String subAgentTool(String agentName) {
        return AGENT_PREFIX + agentName.replace('.', '_');
    }

    public static String handoffTool(String agentName) {
        return HANDOFF_PREFIX + agentName.replace('.', '_');
    }

    /** The team member a tool name stands for, if the agent has one by that tool name. */
    public static Optional<TeamCall> resolve(AgentSpec spec, String toolName) {
        if (toolName.startsWith(AGENT_PREFIX)) {
            return spec.subAgents().stream().filter(name -> subAgentTool(name).equals(toolName)).findFirst()
                    .map(SubAgentCall::new);
        }
        if (toolName.startsWith(HANDOFF_PREFIX)) {
            return spec.handoffs().stream().filter(name -> handoffTool(name).equals(toolName)).findFirst()
                    .map(HandoffCall::new);
        }
        return Optional.empty();
    }

    /** The input text of a sub-agent call: its {@code input} argument, or the raw arguments. */
    public static String input(String argumentsJson) {
        try {
            JsonNode input = DocumentJson.readObject(argumentsJson).get("input");
            if (input != null && input.isTextual() && !input.asText().isBlank()) {
                return input.asText();
            }
        } catch (RuntimeException notAnObject) {
            // fall through: the child gets what the model wrote
        }
        return argumentsJson == null || argumentsJson.isBlank() ? "(no input)" : argumentsJson;
    }

    /** The definitions of the team tools the model is offered, after the agent's own tools. */
    public static List<ToolDefinition> definitions(AgentSpec spec) {
        List<ToolDefinition> definitions = new ArrayList<>();
        for (String name : spec.subAgents()) {
            ObjectNode schema = DocumentJson.object().put("type", "object");
            schema.putObject("properties").putObject("input").put("type", "string")
                    .put("description", "The task for the agent, with everything it needs to know");
            schema.putArray("required").add("input");
            schema.put("additionalProperties", false);
            definitions.add(new ToolDefinition(subAgentTool(name), "Ask the agent '" + name
                    + "' to do a task; it works on its own and answers with its result.", schema, false));
        }
        for (String name : spec.handoffs()) {
            ObjectNode schema = DocumentJson.object().put("type", "object");
            schema.putObject("properties");
            schema.put("additionalProperties", false);
            definitions.add(new ToolDefinition(handoffTool(name), "Hand the conversation over to the agent '"
                    + name + "', which takes it from here.", schema, false));
        }
        return definitions;
    }
}
