package dev.berth.deploy.api;

import java.util.List;

/** Body of {@code PUT /v1/agents/{name}}: a new version of the agent. */
public record AgentRequest(String instructions, String model, List<String> tools, LimitsView limits,
        String inputPolicy, MemoryPolicyView memory) {
}
