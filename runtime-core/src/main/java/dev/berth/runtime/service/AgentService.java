package dev.berth.runtime.service;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.run.team.TeamTools;
import dev.berth.runtime.tools.ToolRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Defines agents as immutable versions, checking what a definition refers to. */
@ApplicationScoped
public class AgentService {
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
    static final int MAX_INSTRUCTIONS = InputLimits.MAX_TEXT_CHARS;
    /** The most agents one team (an agent's sub-agents and handoff targets, transitively) may have. */
    static final int MAX_TEAM_MEMBERS = 32;

    private final AgentStore agents;
    private final ToolRegistry tools;

    @Inject
    public AgentService(AgentStore agents, ToolRegistry tools) {
        this.agents = agents;
        this.tools = tools;
    }

    /** Stores a new version of the agent; the agents its team names must exist (or be itself). */
    public Uni<AgentDefinition> define(TenantId tenant, String name, AgentSpec spec) {
        return define(tenant, name, spec, Optional.empty());
    }

    /** As {@link #define(TenantId, String, AgentSpec)}, claiming the client's idempotency key with the write (ADR 0024). */
    public Uni<AgentDefinition> define(TenantId tenant, String name, AgentSpec spec, Optional<RequestKey> key) {
        validate(name, spec);
        return checkTeamExists(tenant, name, spec).chain(() -> agents.createVersion(tenant, name, spec, key));
    }

    /**
     * The versions a session of this agent pins: the agent itself and, transitively, the latest
     * version of every sub-agent and handoff target its team names, by name.
     */
    public Uni<Map<String, Integer>> teamOf(TenantId tenant, AgentDefinition root) {
        Map<String, Integer> pins = new LinkedHashMap<>();
        pins.put(root.name(), root.version());
        return expand(tenant, pins, List.of(root));
    }

    private Uni<Map<String, Integer>> expand(TenantId tenant, Map<String, Integer> pins,
            List<AgentDefinition> frontier) {
        List<String> next = frontier.stream()
                .flatMap(agent -> java.util.stream.Stream.concat(agent.spec().subAgents().stream(),
                        agent.spec().handoffs().stream()))
                .distinct()
                .filter(name -> !pins.containsKey(name))
                .limit(MAX_TEAM_MEMBERS - pins.size())
                .toList();
        if (next.isEmpty()) {
            return Uni.createFrom().item(pins);
        }
        return latestOf(tenant, next).chain(found -> {
            List<AgentDefinition> members = found.stream().flatMap(java.util.Optional::stream).toList();
            members.forEach(member -> pins.put(member.name(), member.version()));
            return expand(tenant, pins, members);
        });
    }

    private Uni<Void> checkTeamExists(TenantId tenant, String name, AgentSpec spec) {
        Map<String, String> references = new LinkedHashMap<>();
        for (int i = 0; i < spec.subAgents().size(); i++) {
            references.putIfAbsent("subAgents[" + i + "]", spec.subAgents().get(i));
        }
        for (int i = 0; i < spec.handoffs().size(); i++) {
            references.putIfAbsent("handoffs[" + i + "]", spec.handoffs().get(i));
        }
        references.values().removeIf(name::equals);
        if (references.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> fields = List.copyOf(references.keySet());
        return latestOf(tenant, fields.stream().map(references::get).toList()).invoke(found -> {
            Map<String, String> errors = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                if (found.get(i).isEmpty()) {
                    errors.put(fields.get(i), "unknown agent '" + references.get(fields.get(i)) + "'");
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationException("the agent definition names agents that do not exist", errors);
            }
        }).replaceWithVoid();
    }

    /** The given version, or the latest when {@code version} is null. */
    public Uni<AgentDefinition> get(TenantId tenant, String name, Integer version) {
        return agents.find(tenant, name, version)
                .map(found -> found.orElseThrow(() -> new NotFoundException("agent",
                        version == null ? name : name + "@" + version)));
    }

    public Uni<List<AgentDefinition>> versions(TenantId tenant, String name) {
        return agents.versions(tenant, name).invoke(all -> {
            if (all.isEmpty()) {
                throw new NotFoundException("agent", name);
            }
        });
    }

    /** The latest version of each agent, by name, a page at a time; the cursor is the last name of a page. */
    public Uni<Page<AgentDefinition>> list(TenantId tenant, String cursor, int limit) {
        InputLimits.count("limit", limit, 1, InputLimits.MAX_PAGE);
        // One more than asked tells whether a next page exists.
        return agents.latestOfEach(tenant, cursor, limit + 1).map(found -> found.size() <= limit
                ? new Page<>(found, null)
                : new Page<>(found.subList(0, limit), found.get(limit - 1).name()));
    }

    /** The latest version of each name, in order; one after the other, as a store session is not shared. */
    private Uni<List<java.util.Optional<AgentDefinition>>> latestOf(TenantId tenant, List<String> names) {
        return Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(name -> agents.find(tenant, name, null))
                .collect().asList();
    }

    private static void validateTeam(String field, List<String> names, Map<String, String> errors) {
        if (names.size() > MAX_TEAM_MEMBERS) {
            errors.put(field, "must name at most " + MAX_TEAM_MEMBERS + " agents");
        }
        for (int i = 0; i < names.size(); i++) {
            String member = names.get(i);
            if (member == null || !NAME.matcher(member).matches() || member.length() > TeamTools.MAX_MEMBER_NAME) {
                errors.put(field + "[" + i + "]", "must be an agent name of at most " + TeamTools.MAX_MEMBER_NAME
                        + " characters");
            } else if (names.indexOf(member) != i) {
                errors.put(field + "[" + i + "]", "names '" + member + "' twice");
            }
        }
    }

    private static void validateClientTools(AgentSpec spec, Map<String, String> errors) {
        ClientTool.validate(spec.clientTools(), "clientTools", new HashSet<>(spec.tools()), errors);
    }

    private void validate(String name, AgentSpec spec) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.put("name", "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (spec.instructions().isBlank()) {
            errors.put("instructions", "must not be blank");
        } else if (spec.instructions().length() > MAX_INSTRUCTIONS) {
            errors.put("instructions", "must be at most " + MAX_INSTRUCTIONS + " characters");
        }
        if (spec.model().isBlank() || spec.model().length() > InputLimits.MAX_ID_CHARS) {
            errors.put("model", "must be 1-" + InputLimits.MAX_ID_CHARS + " characters");
        }
        if (spec.tools().size() > InputLimits.MAX_TOOLS) {
            errors.put("tools", "must name at most " + InputLimits.MAX_TOOLS + " tools");
        }
        for (int i = 0; i < spec.tools().size(); i++) {
            String tool = spec.tools().get(i);
            if (tool == null || !tools.exists(tool)) {
                errors.put("tools[" + i + "]", "unknown tool '" + tool + "'");
            }
        }
        validateClientTools(spec, errors);
        for (int i = 0; i < spec.approvalRequired().size(); i++) {
            String tool = spec.approvalRequired().get(i);
            if (!spec.tools().contains(tool)) {
                errors.put("approvalRequired[" + i + "]", "'" + tool + "' is not one of the agent's tools");
            }
        }
        validateTeam("subAgents", spec.subAgents(), errors);
        validateTeam("handoffs", spec.handoffs(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException("the agent definition is invalid", errors);
        }
    }
}
