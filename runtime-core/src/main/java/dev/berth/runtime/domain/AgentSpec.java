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
 */
public record AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
        InputPolicy inputPolicy, List<ClientTool> clientTools, List<String> approvalRequired) {
    public AgentSpec {
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(model, "model");
        tools = tools == null ? List.of() : List.copyOf(tools);
        limits = limits == null ? AgentLimits.DEFAULT : limits;
        inputPolicy = inputPolicy == null ? InputPolicy.ENQUEUE : inputPolicy;
        clientTools = clientTools == null ? List.of() : List.copyOf(clientTools);
        approvalRequired = approvalRequired == null ? List.of() : List.copyOf(approvalRequired);
    }

    public AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
            InputPolicy inputPolicy) {
        this(instructions, model, tools, limits, inputPolicy, List.of(), List.of());
    }

    public Optional<ClientTool> clientTool(String name) {
        return clientTools.stream().filter(tool -> tool.name().equals(name)).findFirst();
    }
}
