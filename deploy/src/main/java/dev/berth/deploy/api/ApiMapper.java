package dev.berth.deploy.api;

import dev.berth.runtime.domain.Role;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.team.RunTreeNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
        if (request.approvalRequired() != null && request.approvalRequired().contains(null)) {
            throw ValidationException.field("approvalRequired", "must not contain null");
        }
        if (request.subAgents() != null && request.subAgents().contains(null)) {
            throw ValidationException.field("subAgents", "must not contain null");
        }
        if (request.handoffs() != null && request.handoffs().contains(null)) {
            throw ValidationException.field("handoffs", "must not contain null");
        }
        return new AgentSpec(request.instructions(), request.model(), request.tools(), toLimits(request.limits()),
                request.inputPolicy() == null ? null : policy(request.inputPolicy()),
                toClientTools(request.clientTools()), request.approvalRequired(), request.subAgents(),
                request.handoffs(), toMemory(request.memory()));
    }

    private static List<ClientTool> toClientTools(List<ClientToolView> views) {
        if (views == null) {
            return List.of();
        }
        List<ClientTool> tools = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            ClientToolView view = views.get(i);
            if (view == null || view.name() == null) {
                throw ValidationException.field("clientTools[" + i + "].name", "is required");
            }
            ObjectNode parameters = view.parameters() == null
                    ? DocumentJson.object().put("type", "object").set("properties", DocumentJson.object()) : view.parameters();
            tools.add(new ClientTool(view.name(), view.description(), parameters));
        }
        return tools;
    }

    public static List<ActionAnswer> toAnswers(ActionsRequest request) {
        if (request == null || request.actions() == null) {
            throw ValidationException.field("actions", "is required");
        }
        List<ActionAnswer> answers = new ArrayList<>();
        for (int i = 0; i < request.actions().size(); i++) {
            ActionsRequest.Action action = request.actions().get(i);
            if (action == null || action.callId() == null) {
                throw ValidationException.field("actions[" + i + "].callId", "is required");
            }
            answers.add(new ActionAnswer(action.callId(), action.output(), action.approve(), action.reason(),
                    action.argumentsDigest()));
        }
        return answers;
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
                    InputLimits.seconds("memory.sessionTtlSeconds", memory.sessionTtlSeconds()),
                    InputLimits.seconds("memory.memoryTtlSeconds", memory.memoryTtlSeconds()));
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
        Duration runTimeout = InputLimits.seconds("limits.runTimeoutSeconds", limits.runTimeoutSeconds());
        if (limits.maxCompletionTokens() != null) {
            InputLimits.count("limits.maxCompletionTokens", limits.maxCompletionTokens(), 1,
                    InputLimits.MAX_COMPLETION_TOKENS);
        }
        if (limits.maxRunTokens() != null && (limits.maxRunTokens() < 1 || limits.maxRunTokens() > BudgetView.MAX)) {
            throw ValidationException.field("limits.maxRunTokens", "must be between 1 and " + BudgetView.MAX);
        }
        try {
            return new AgentLimits(
                    limits.maxSteps() == null ? AgentLimits.DEFAULT.maxSteps() : limits.maxSteps(),
                    limits.maxCompletionTokens(), runTimeout == null ? AgentLimits.DEFAULT.runTimeout() : runTimeout,
                    limits.maxRunTokens());
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
                new LimitsView(limits.maxSteps(), limits.maxCompletionTokens(), limits.runTimeout().toSeconds(),
                        limits.maxRunTokens()),
                spec.inputPolicy().wire(),
                spec.clientTools().stream()
                        .map(tool -> new ClientToolView(tool.name(), tool.description(), tool.parameters())).toList(),
                spec.approvalRequired(), spec.subAgents(), spec.handoffs(), memory(spec.memory()), agent.createdAt());
    }

    public static SessionView session(Session s) {
        return new SessionView(s.id().toString(), new SessionView.AgentRef(s.agentName(), s.agentVersion()),
                s.actorId(), s.status().wire(), s.inputPolicy().wire(), s.state(), s.metadata(), s.lastSeq(), s.createdAt(),
                s.updatedAt(), s.expiresAt(), s.openedBy(),
                s.kill() == null ? null : new SessionView.KillView(s.kill().by(), s.kill().at()));
    }

    public static RunView run(Run r) {
        return run(r, List.of());
    }

    /** The run with what it waits for (the unanswered actions of a run in {@code requires_action}). */
    public static RunView run(Run r, List<PendingAction> required) {
        RequiredActionView requiredAction = r.status() != RunStatus.REQUIRES_ACTION ? null
                : new RequiredActionView(required.stream()
                        .map(a -> new RequiredActionView.CallView(a.callId(), a.kind().wire(), a.toolName(), a.arguments(),
                                a.argumentsDigest()))
                        .toList());
        return new RunView(r.id().toString(), r.sessionId().toString(), r.status().wire(), r.step(), r.modelCalls(),
                new SessionView.AgentRef(r.agentName(), r.agentVersion()), r.output(),
                r.error() == null ? null : new RunView.ErrorView(r.error().code(), r.error().message()),
                new RunView.UsageView(r.usage().inputTokens(), r.usage().outputTokens(), r.usage().cachedTokens(),
                        r.usage().reasoningTokens(), r.usage().totalTokens()),
                r.createdAt(), r.startedAt(), r.finishedAt(), requiredAction);
    }

    /** A run tree from its flat form (parents first): each run with its children and the usage of its subtree. */
    public static RunTreeView tree(List<RunTreeNode> nodes) {
        Map<UUID, List<RunTreeNode>> children = new HashMap<>();
        for (RunTreeNode node : nodes) {
            if (node.parentRunId() != null) {
                children.computeIfAbsent(node.parentRunId(), id -> new ArrayList<>()).add(node);
            }
        }
        return treeOf(nodes.getFirst(), children);
    }

    private static RunTreeView treeOf(RunTreeNode node, Map<UUID, List<RunTreeNode>> children) {
        List<RunTreeView> kids = children.getOrDefault(node.run().id(), List.of()).stream()
                .map(child -> treeOf(child, children)).toList();
        RunView.UsageView own = run(node.run()).usage();
        long input = own.inputTokens();
        long output = own.outputTokens();
        long cached = own.cachedTokens();
        long reasoning = own.reasoningTokens();
        int modelCalls = node.run().modelCalls();
        for (RunTreeView kid : kids) {
            input += kid.totalUsage().inputTokens();
            output += kid.totalUsage().outputTokens();
            cached += kid.totalUsage().cachedTokens();
            reasoning += kid.totalUsage().reasoningTokens();
            modelCalls += kid.totalModelCalls();
        }
        return new RunTreeView(run(node.run()), node.callId(), node.depth(),
                new RunView.UsageView(input, output, cached, reasoning, input + output), modelCalls, kids);
    }

    public static EventView event(Event e) {
        return new EventView(e.seq(), e.type(), e.runId() == null ? null : e.runId().toString(), e.createdAt(), e.data());
    }

    public static ChildEventView childEvent(UUID sessionId, Event e) {
        return new ChildEventView(sessionId.toString(), e.seq(), e.type(), e.runId() == null ? null : e.runId().toString(),
                e.createdAt(), e.data());
    }

    public static KeyView key(ApiKeyInfo k, String plainKey) {
        return new KeyView(k.id().toString(), k.tenant().toString(), k.name(), k.prefix(),
                k.roles().stream().map(Role::wire).sorted().toList(), k.actorId(), k.admin(), k.createdAt(),
                k.expiresAt(), k.revokedAt(), plainKey);
    }

    public static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
