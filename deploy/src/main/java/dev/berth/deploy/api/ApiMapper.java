package dev.berth.deploy.api;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.Run;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.error.ValidationException;
import java.time.Duration;
import java.util.Map;

/** Between the API's JSON shapes and the domain; input is validated on the way in. */
public final class ApiMapper {
    private ApiMapper() {
    }

    public static AgentSpec toSpec(AgentRequest request) {
        if (request == null) {
            throw ValidationException.field("body", "is required");
        }
        if (request.instructions() == null) {
            throw ValidationException.field("instructions", "is required");
        }
        if (request.model() == null) {
            throw ValidationException.field("model", "is required");
        }
        if (request.tools() != null && request.tools().contains(null)) {
            throw ValidationException.field("tools", "must not contain null");
        }
        return new AgentSpec(request.instructions(), request.model(), request.tools(), toLimits(request.limits()),
                request.inputPolicy() == null ? null : policy(request.inputPolicy()), toMemory(request.memory()));
    }

    private static MemoryPolicy toMemory(MemoryPolicyView memory) {
        if (memory == null) {
            return MemoryPolicy.DEFAULT;
        }
        if (memory.namespaces() != null && memory.namespaces().contains(null)
                || memory.extraction() != null && memory.extraction().contains(null)) {
            throw ValidationException.field("memory", "lists must not contain null");
        }
        try {
            return new MemoryPolicy(
                    memory.contextTokens() == null ? MemoryPolicy.DEFAULT.contextTokens() : memory.contextTokens(),
                    memory.recallTopK() == null ? 0 : memory.recallTopK(), memory.namespaces(), memory.extraction(),
                    memory.sessionTtlSeconds() == null ? null : Duration.ofSeconds(memory.sessionTtlSeconds()),
                    memory.memoryTtlSeconds() == null ? null : Duration.ofSeconds(memory.memoryTtlSeconds()));
        } catch (IllegalArgumentException e) {
            throw ValidationException.field("memory", e.getMessage());
        }
    }

    private static MemoryPolicyView memory(MemoryPolicy m) {
        return new MemoryPolicyView(m.contextTokens(), m.recallTopK(), m.namespaces(), m.extraction(),
                m.sessionTtl() == null ? null : m.sessionTtl().toSeconds(),
                m.memoryTtl() == null ? null : m.memoryTtl().toSeconds());
    }

    private static AgentLimits toLimits(LimitsView limits) {
        if (limits == null) {
            return AgentLimits.DEFAULT;
        }
        try {
            return new AgentLimits(
                    limits.maxSteps() == null ? AgentLimits.DEFAULT.maxSteps() : limits.maxSteps(),
                    limits.maxCompletionTokens(),
                    limits.runTimeoutSeconds() == null ? AgentLimits.DEFAULT.runTimeout()
                            : Duration.ofSeconds(limits.runTimeoutSeconds()));
        } catch (IllegalArgumentException e) {
            throw ValidationException.field("limits", e.getMessage());
        }
    }

    public static InputPolicy policy(String wire) {
        try {
            return InputPolicy.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw ValidationException.field("inputPolicy", "must be reject, enqueue or interrupt");
        }
    }

    public static AgentView agent(AgentDefinition agent) {
        AgentSpec spec = agent.spec();
        AgentLimits limits = spec.limits();
        return new AgentView(agent.name(), agent.version(), spec.instructions(), spec.model(), spec.tools(),
                new LimitsView(limits.maxSteps(), limits.maxCompletionTokens(), limits.runTimeout().toSeconds()),
                spec.inputPolicy().wire(), memory(spec.memory()), agent.createdAt());
    }

    public static SessionView session(Session s) {
        return new SessionView(s.id().toString(), new SessionView.AgentRef(s.agentName(), s.agentVersion()),
                s.actorId(), s.status().wire(), s.inputPolicy().wire(), s.state(), s.metadata(), s.lastSeq(), s.createdAt(),
                s.updatedAt(), s.expiresAt());
    }

    public static RunView run(Run r) {
        return new RunView(r.id().toString(), r.sessionId().toString(), r.status().wire(), r.step(), r.modelCalls(),
                new SessionView.AgentRef(r.agentName(), r.agentVersion()), r.output(),
                r.error() == null ? null : new RunView.ErrorView(r.error().code(), r.error().message()),
                new RunView.UsageView(r.usage().inputTokens(), r.usage().outputTokens(), r.usage().cachedTokens(),
                        r.usage().reasoningTokens(), r.usage().totalTokens()),
                r.createdAt(), r.startedAt(), r.finishedAt());
    }

    public static EventView event(Event e) {
        return new EventView(e.seq(), e.type(), e.runId() == null ? null : e.runId().toString(), e.createdAt(), e.data());
    }

    public static KeyView key(ApiKeyInfo k, String plainKey) {
        return new KeyView(k.id().toString(), k.tenant().toString(), k.name(), k.prefix(), k.admin(), k.createdAt(),
                k.revokedAt(), plainKey);
    }

    public static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
