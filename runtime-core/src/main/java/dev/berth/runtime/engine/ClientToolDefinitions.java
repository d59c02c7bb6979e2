package dev.berth.runtime.engine;

import dev.berth.model.ToolDefinition;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.TokenCounter;
import dev.berth.runtime.run.RunOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client-side tools of an agent version as the model sees them, with their tokens counted
 * once per version. A client tool's schema may be tens of kilobytes of JSON, and an agent has up
 * to 128 of them: serialising and token-counting them on every step of every run was the
 * largest CPU cost of a step (issue 14). Each schema is also written once, as a {@link WrittenSchema}.
 * An agent version is immutable, so
 * {@code (tenant, name, version)} names its tools for good.
 *
 * <p>Bounded: emptied when it holds {@value #MAX_VERSIONS} versions (the versions of live runs
 * come back at their next step). Thread safe.
 */
final class ClientToolDefinitions {
    static final int MAX_VERSIONS = 512;

    /** The tools in the agent's order, sharing one copy of each schema, and their token count. */
    record Counted(List<ToolDefinition> definitions, int tokens) {
    }

    private record Version(TenantId tenant, String name, int version) {
        static Version of(AgentDefinition agent) {
            return new Version(agent.tenant(), agent.name(), agent.version());
        }
    }

    private final Map<Version, Counted> counted = new ConcurrentHashMap<>();

    /**
     * Whether a step would count client tools: the version's not counted yet (its first step), or
     * tools of the run's own (ADR 0036), counted at each step since no other run shares them.
     */
    boolean uncounted(AgentDefinition agent, RunOptions options) {
        return !options.clientTools().isEmpty()
                || (!agent.spec().clientTools().isEmpty() && !counted.containsKey(Version.of(agent)));
    }

    /**
     * The client tools of a step: the agent version's, counted on first use, then the run's own, which
     * {@link RunOptions#applyTo} put after them in the agent's spec; on the calling thread.
     */
    Counted of(AgentDefinition agent, RunOptions options) {
        List<ClientTool> all = agent.spec().clientTools();
        List<ClientTool> runs = options.clientTools();
        Counted own = ofVersion(agent, all.subList(0, all.size() - runs.size()));
        if (runs.isEmpty()) {
            return own;
        }
        Counted run = count(agent, runs);
        List<ToolDefinition> definitions = new ArrayList<>(own.definitions());
        definitions.addAll(run.definitions());
        return new Counted(List.copyOf(definitions), own.tokens() + run.tokens());
    }

    private Counted ofVersion(AgentDefinition agent, List<ClientTool> tools) {
        if (tools.isEmpty()) {
            return new Counted(List.of(), 0);
        }
        Version version = Version.of(agent);
        Counted known = counted.get(version);
        if (known != null) {
            return known;
        }
        Counted made = count(agent, tools);
        if (counted.size() >= MAX_VERSIONS) {
            counted.clear(); // simpler than an LRU: live versions are counted again at their next step
        }
        counted.put(version, made);
        return made;
    }

    private static Counted count(AgentDefinition agent, List<ClientTool> tools) {
        TokenCounter counter = TokenCounter.forModel(agent.spec().model());
        List<ToolDefinition> definitions = new ArrayList<>();
        int tokens = 0;
        for (ClientTool tool : tools) {
            // Client schemas are sent as given, so not as strict: Berth cannot vouch for them.
            ToolDefinition definition = new ToolDefinition(tool.name(), tool.description(),
                    new WrittenSchema(tool.parameters()), false);
            definitions.add(definition);
            tokens += ContextAssembler.toolTokens(counter, definition);
        }
        return new Counted(List.copyOf(definitions), tokens);
    }
}
