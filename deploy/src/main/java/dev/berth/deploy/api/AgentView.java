package dev.berth.deploy.api;

import java.time.Instant;
import java.util.List;

/** One version of an agent as the API shows it. */
public record AgentView(String name, int version, String instructions, String model, List<String> tools,
        LimitsView limits, String inputPolicy, List<ClientToolView> clientTools, List<String> approvalRequired,
        List<String> subAgents, List<String> handoffs, MemoryPolicyView memory, Instant createdAt) {
}
