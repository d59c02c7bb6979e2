package dev.berth.runtime.domain;

import java.util.List;
import java.util.Objects;

/**
 * What a client defines for an agent; the store turns it into an immutable
 * {@link AgentDefinition} with a version.
 *
 * @param instructions the system instructions
 * @param model        the logical model name, mapped to deployments by the model client
 * @param tools        names of tools the agent may call
 * @param limits       run limits
 * @param inputPolicy  what new input does while a run of a session is active
 * @param memory       context budget, long-term memory and retention
 */
public record AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
        InputPolicy inputPolicy, MemoryPolicy memory) {

    /** A spec with the default memory policy. */
    public AgentSpec(String instructions, String model, List<String> tools, AgentLimits limits,
            InputPolicy inputPolicy) {
        this(instructions, model, tools, limits, inputPolicy, null);
    }

    public AgentSpec {
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(model, "model");
        tools = tools == null ? List.of() : List.copyOf(tools);
        limits = limits == null ? AgentLimits.DEFAULT : limits;
        inputPolicy = inputPolicy == null ? InputPolicy.ENQUEUE : inputPolicy;
        memory = memory == null ? MemoryPolicy.DEFAULT : memory;
    }
}
