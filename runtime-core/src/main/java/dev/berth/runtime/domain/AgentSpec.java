package dev.berth.runtime.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client defines for an agent; the store turns it into an immutable
 * {@link AgentDefinition} with a version.
 *
 * @param instructions     the system instructions
 * @param model            the logical model name, mapped to deployments by the model client
 * @param tools            names of server-side tools the agent may call
 * @param limits           run limits
 * @param inputPolicy      what new input does while a run of a session is active
 * @param clientTools      tools the client executes itself (the run pauses for their output)
 * @param approvalRequired names among {@code tools} whose every call a human must approve first
 * @param subAgents        names of agents offered to this one as tools ({@code agent__<name>}): a call
 *                         runs the named agent in a child session and returns its answer (docs/teams.md)
 * @param handoffs         names of agents this one may hand the session to ({@code handoff__<name>})
 * @param memory           context budget, long-term memory and retention
 */
public record AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
        InputPolicy inputPolicy, List<ClientTool> clientTools, List<String> approvalRequired,
        List<String> subAgents, List<String> handoffs, MemoryPolicy memory) {
    public AgentSpec {
        subAgents = subAgents == null ? List.of() : List.copyOf(subAgents);
        handoffs = handoffs == null ? List.of() : List.copyOf(handoffs);
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(model, "model");
        tools = tools == null ? List.of() : List.copyOf(tools);
        limits = limits == null ? AgentLimits.DEFAULT : limits;
        inputPolicy = inputPolicy == null ? InputPolicy.ENQUEUE : inputPolicy;
        clientTools = clientTools == null ? List.of() : List.copyOf(clientTools);
        approvalRequired = approvalRequired == null ? List.of() : List.copyOf(approvalRequired);
        memory = memory == null ? MemoryPolicy.DEFAULT : memory;
    }

    public Optional<ClientTool> clientTool(String name) {
        return clientTools.stream().filter(tool -> tool.name().equals(name)).findFirst();
    }

    /** An agent that works alone, with server-side tools only: no client tools, approvals or team; default memory. */
    public AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
            InputPolicy inputPolicy) {
        this(instructions, model, tools, limits, inputPolicy, List.of(), List.of(), List.of(), List.of(), null);
    }

    /** Whether this agent names other agents (as sub-agents or handoff targets). */
    public boolean hasTeam() {
        return !subAgents.isEmpty() || !handoffs.isEmpty();
    }
}
