package dev.berth.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an agent definition. It carries a schema version, and a definition
 * written by a newer Berth is refused rather than misread.
 */
public final class AgentJson {
    /**
     * 2 added client-side tools, approvals, sub-agents and handoffs; a definition using none of
     * them is still written as 1, which an older Berth reads the same.
     */
    static final int SCHEMA_VERSION = 2;

    private AgentJson() {
    }

    public static String write(AgentSpec spec) {
        boolean usesV2 = !spec.clientTools().isEmpty() || !spec.approvalRequired().isEmpty() || spec.hasTeam();
        ObjectNode node = DocumentJson.object().put("schemaVersion", usesV2 ? SCHEMA_VERSION : 1)
                .put("instructions", spec.instructions())
                .put("model", spec.model())
                .put("inputPolicy", spec.inputPolicy().wire());
        spec.tools().forEach(node.putArray("tools")::add);
        if (spec.hasTeam()) {
            spec.subAgents().forEach(node.putArray("subAgents")::add);
            spec.handoffs().forEach(node.putArray("handoffs")::add);
        }
        ObjectNode limits = node.putObject("limits")
                .put("maxSteps", spec.limits().maxSteps())
                .put("runTimeoutSeconds", spec.limits().runTimeout().toSeconds());
        if (spec.limits().maxCompletionTokens() != null) {
            limits.put("maxCompletionTokens", spec.limits().maxCompletionTokens());
        }
        if (spec.limits().maxRunTokens() != null) {
            // An older Berth ignores it (it reads only the fields it knows): the limit is not enforced there.
            limits.put("maxRunTokens", spec.limits().maxRunTokens());
        }
        if (usesV2) {
            ArrayNode clientTools = node.putArray("clientTools");
            spec.clientTools().forEach(tool -> clientTools.addObject().put("name", tool.name())
                    .put("description", tool.description()).set("parameters", tool.parameters()));
            spec.approvalRequired().forEach(node.putArray("approvalRequired")::add);
        }
        node.set("memory", memory(spec.memory()));
        return DocumentJson.write(node);
    }

    public static AgentSpec read(String text) {
        JsonNode node = DocumentJson.readObject(text);
        int version = node.path("schemaVersion").asInt(0);
        if (version > SCHEMA_VERSION) {
            throw new IllegalStateException("agent definition schema " + version + " is newer than this Berth ("
                    + SCHEMA_VERSION + "); upgrade Berth");
        }
        List<String> tools = new ArrayList<>();
        node.path("tools").forEach(tool -> tools.add(tool.asText()));
        List<String> subAgents = new ArrayList<>();
        node.path("subAgents").forEach(name -> subAgents.add(name.asText()));
        List<String> handoffs = new ArrayList<>();
        node.path("handoffs").forEach(name -> handoffs.add(name.asText()));
        JsonNode limits = node.path("limits");
        Integer maxTokens = limits.hasNonNull("maxCompletionTokens") ? limits.get("maxCompletionTokens").asInt() : null;
        List<ClientTool> clientTools = new ArrayList<>();
        node.path("clientTools").forEach(tool -> clientTools.add(new ClientTool(tool.path("name").asText(),
                tool.path("description").asText(""), (ObjectNode) tool.get("parameters"))));
        List<String> approvalRequired = new ArrayList<>();
        node.path("approvalRequired").forEach(tool -> approvalRequired.add(tool.asText()));
        return new AgentSpec(node.path("instructions").asText(), node.path("model").asText(), tools,
                new AgentLimits(limits.path("maxSteps").asInt(AgentLimits.DEFAULT.maxSteps()), maxTokens,
                        // Stored before the bounds existed, a timeout may be out of them: clamped, never fatal.
                        InputLimits.clampSeconds(limits.path("runTimeoutSeconds")
                                .asLong(AgentLimits.DEFAULT.runTimeout().toSeconds())),
                        limits.hasNonNull("maxRunTokens") ? limits.get("maxRunTokens").asLong() : null),
                InputPolicy.fromWire(node.path("inputPolicy").asText("enqueue")), clientTools, approvalRequired,
                subAgents, handoffs, memory(node.path("memory")));
    }

    /**
     * The memory policy. Its {@code extraction} array is also read by the database trigger that
     * queues extraction jobs when a run completes (see V4__memory.sql): keep the name.
     */
    private static ObjectNode memory(MemoryPolicy policy) {
        ObjectNode node = DocumentJson.object().put("contextTokens", policy.contextTokens())
                .put("recallTopK", policy.recallTopK());
        policy.namespaces().forEach(node.putArray("namespaces")::add);
        policy.extraction().forEach(node.putArray("extraction")::add);
        if (policy.sessionTtl() != null) {
            node.put("sessionTtlSeconds", policy.sessionTtl().toSeconds());
        }
        if (policy.memoryTtl() != null) {
            node.put("memoryTtlSeconds", policy.memoryTtl().toSeconds());
        }
        return node;
    }

    private static MemoryPolicy memory(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return MemoryPolicy.DEFAULT;
        }
        List<String> namespaces = new ArrayList<>();
        node.path("namespaces").forEach(n -> namespaces.add(n.asText()));
        List<String> extraction = new ArrayList<>();
        node.path("extraction").forEach(n -> extraction.add(n.asText()));
        return new MemoryPolicy(node.path("contextTokens").asInt(MemoryPolicy.DEFAULT.contextTokens()),
                node.path("recallTopK").asInt(0), node.has("namespaces") ? namespaces : null, extraction,
                seconds(node, "sessionTtlSeconds"), seconds(node, "memoryTtlSeconds"));
    }

    private static Duration seconds(JsonNode node, String field) {
        return node.hasNonNull(field) ? InputLimits.clampSeconds(node.get(field).asLong()) : null;
    }
}
