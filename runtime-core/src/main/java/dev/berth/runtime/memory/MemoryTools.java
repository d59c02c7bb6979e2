package dev.berth.runtime.memory;

import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.port.SessionStore;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolParam;
import dev.berth.tool.ToolProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Built-in memory tools: {@code remember} and {@code recall} long-term memories of the session's
 * actor (or of the session), and {@code memory_block} to edit the pinned blocks that are always in
 * the context. Tools run on virtual threads, so they wait for the store.
 */
@ApplicationScoped
public class MemoryTools implements ToolProvider {
    /** The tool that edits pinned blocks: a run that calls it reads its context afresh. */
    public static final String BLOCK_TOOL = "memory_block";
    private static final int RECALL_K = 5;

    private final MemoryService memory;
    private final SessionStore sessions;
    private final AgentStore agents;

    @Inject
    public MemoryTools(MemoryService memory, SessionStore sessions, AgentStore agents) {
        this.memory = memory;
        this.sessions = sessions;
        this.agents = agents;
    }

    @Override
    public List<Object> tools() {
        return List.of(this);
    }

    @Tool(name = "remember", description = "Stores a fact or preference in long-term memory, for this and later "
            + "sessions. Give a key (the subject, e.g. 'favourite_colour') so that a later change replaces it.")
    public String remember(@ToolParam(description = "what to remember, as a full sentence") String content,
            @ToolParam(description = "fact, preference or note; fact when absent") Optional<String> kind,
            @ToolParam(description = "the subject; a later memory with the same key replaces this one")
            Optional<String> key,
            @ToolParam(description = "actor (default: about the user, kept across sessions) or session")
            Optional<String> scope, ToolContext context) {
        TenantId tenant = tenant(context);
        String namespace = namespace(scope, context);
        Instant expires = memoryTtl(tenant, context).map(ttl -> Instant.now().plus(ttl)).orElse(null);
        MemoryRecord saved = await(() -> memory.remember(tenant, new MemoryService.Input(namespace,
                kind.filter(k -> !k.isBlank()).orElse("fact"), key.filter(k -> !k.isBlank()).orElse(null), content,
                context.actorId(), UUID.fromString(context.sessionId()), null, null, expires)).await().indefinitely());
        return "Remembered (" + saved.kind() + ") in " + saved.namespace() + ".";
    }

    @Tool(name = "recall", description = "Searches long-term memory about the user and this session.")
    public String recall(@ToolParam(description = "what to look for") String query, ToolContext context) {
        List<MemoryService.Found> found = await(() -> memory.search(tenant(context),
                List.of("actors/" + context.actorId(), "sessions/" + context.sessionId()), query, RECALL_K)
                .await().indefinitely());
        if (found.isEmpty()) {
            return "Nothing remembered about that.";
        }
        StringBuilder text = new StringBuilder();
        found.forEach(f -> text.append("- (").append(f.record().kind()).append(") ").append(f.record().content())
                .append('\n'));
        return text.toString().trim();
    }

    @Tool(name = BLOCK_TOOL, description = "Writes a pinned memory block: a short labelled text that is always "
            + "in your context (for example the user's profile). Replaces the block's whole content; empty content "
            + "deletes it.")
    public String memoryBlock(@ToolParam(description = "the block's label, e.g. 'profile'") String label,
            @ToolParam(description = "the new content of the block") String content,
            @ToolParam(description = "actor (default: about the user) or session") Optional<String> scope,
            ToolContext context) {
        String namespace = namespace(scope, context);
        if (content == null || content.isBlank()) {
            await(() -> memory.deleteBlock(tenant(context), namespace, label).await().indefinitely());
            return "Deleted block '" + label + "'.";
        }
        await(() -> memory.putBlock(tenant(context), namespace, label, content).await().indefinitely());
        return "Saved block '" + label + "'.";
    }

    private Optional<java.time.Duration> memoryTtl(TenantId tenant, ToolContext context) {
        // The ports, not the services: the services sit above the tools (AgentService checks tool
        // names against the ToolRegistry, which holds these tools), so using them here made a loop.
        return Optional.ofNullable(await(() -> sessions.find(tenant, UUID.fromString(context.sessionId()))
                .map(found -> found.orElseThrow(() -> new NotFoundException("session", context.sessionId())))
                .chain(s -> agents.find(tenant, s.agentName(), s.agentVersion())
                        .map(found -> found.orElseThrow(() -> new NotFoundException("agent",
                                s.agentName() + "@" + s.agentVersion()))))
                .map(agent -> agent.spec().memory())
                .map(MemoryPolicy::memoryTtl)
                .await().indefinitely()));
    }

    private static String namespace(Optional<String> scope, ToolContext context) {
        String chosen = scope.filter(s -> !s.isBlank()).orElse("actor");
        return switch (chosen) {
            case "actor" -> "actors/" + context.actorId();
            case "session" -> "sessions/" + context.sessionId();
            default -> throw new ToolException("scope must be 'actor' or 'session'");
        };
    }

    private static TenantId tenant(ToolContext context) {
        return new TenantId(UUID.fromString(context.tenantId()));
    }

    /** Turns a refused input into an answer the model can act on. */
    private static <T> T await(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (BerthException e) {
            throw new ToolException(e.getMessage());
        }
    }
}
