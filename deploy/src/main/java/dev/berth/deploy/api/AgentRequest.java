package dev.berth.deploy.api;

import java.util.List;

/**
 * Body of {@code PUT /v1/agents/{name}}: a new version of the agent. {@code subAgents} and
 * {@code handoffs} name existing agents (or this one) offered as {@code agent__<name>} and
 * {@code handoff__<name>} tools.
 */
public record AgentRequest(String instructions, String model, List<String> tools, LimitsView limits,
        String inputPolicy, List<ClientToolView> clientTools, List<String> approvalRequired, List<String> subAgents,
        List<String> handoffs, MemoryPolicyView memory) {
}
