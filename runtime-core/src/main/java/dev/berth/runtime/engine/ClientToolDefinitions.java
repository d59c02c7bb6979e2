package dev.berth.runtime.engine;

import dev.berth.model.ToolDefinition;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.TokenCounter;
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

    /** Whether the agent has client tools that have not been counted yet (the first step of a version). */
    boolean uncounted(AgentDefinition agent) {
        return !agent.spec().clientTools().isEmpty() && !counted.containsKey(Version.of(agent));
    }

    /** The agent version's client tools; counted on first use, on the calling thread. */
    Counted of(AgentDefinition agent) {
        if (agent.spec().clientTools().isEmpty()) {
            return new Counted(List.of(), 0);
        }
        Version version = Version.of(agent);
        Counted known = counted.get(version);
        if (known != null) {
            return known;
        }
        Counted made = count(agent);
        if (counted.size() >= MAX_VERSIONS) {
            counted.clear(); // simpler than an LRU: live versions are counted again at their next step
        }
        counted.put(version, made);
        return made;
    }

    private static Counted count(AgentDefinition agent) {
        TokenCounter counter = TokenCounter.forModel(agent.spec().model());
        List<ToolDefinition> definitions = new ArrayList<>();
        int tokens = 0;
        for (ClientTool tool : agent.spec().clientTools()) {
            // Client schemas are sent as given, so not as strict: Berth cannot vouch for them.
            ToolDefinition definition = new ToolDefinition(tool.name(), tool.description(),
                    new WrittenSchema(tool.parameters()), false);
            definitions.add(definition);
            tokens += ContextAssembler.toolTokens(counter, definition);
        }
        return new Counted(List.copyOf(definitions), tokens);
    }
}
