package dev.berth.runtime.domain;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How an agent uses memory: the token budget of its context, which long-term memories it
 * reads and writes, what is extracted after its runs, and how long things are kept.
 *
 * @param contextTokens     the most tokens of one model call's input (instructions, memory, summary, events)
 * @param recallTopK        memories retrieved into the context per model call; 0 turns retrieval off
 * @param namespaces        the namespaces the agent reads, as templates: {@code actors/{actorId}},
 *                          {@code agents/{agent}}, {@code sessions/{sessionId}}
 * @param extraction        strategies run after each completed run: {@code facts}, {@code preferences},
 *                          {@code session_summary}; empty for none
 * @param sessionTtl        expiry of sessions opened with this agent when the client gives none; null for none
 * @param memoryTtl         expiry of memories extracted from or written by this agent; null for none
 */
public record MemoryPolicy(int contextTokens, int recallTopK, List<String> namespaces, List<String> extraction,
        Duration sessionTtl, Duration memoryTtl) {
    public static final Set<String> STRATEGIES = Set.of("facts", "preferences", "session_summary");
    public static final List<String> DEFAULT_NAMESPACES = List.of("actors/{actorId}", "agents/{agent}",
            "sessions/{sessionId}");
    public static final int MIN_CONTEXT_TOKENS = 256;
    public static final int MAX_CONTEXT_TOKENS = 2_000_000;
    public static final int MAX_TOP_K = 50;
    public static final MemoryPolicy DEFAULT = new MemoryPolicy(16_000, 0, DEFAULT_NAMESPACES, List.of(), null,
            null);

    public MemoryPolicy {
        if (contextTokens < MIN_CONTEXT_TOKENS || contextTokens > MAX_CONTEXT_TOKENS) {
            throw new IllegalArgumentException("contextTokens must be between " + MIN_CONTEXT_TOKENS + " and "
                    + MAX_CONTEXT_TOKENS);
        }
        if (recallTopK < 0 || recallTopK > MAX_TOP_K) {
            throw new IllegalArgumentException("recallTopK must be between 0 and " + MAX_TOP_K);
        }
        namespaces = namespaces == null ? DEFAULT_NAMESPACES : List.copyOf(namespaces);
        for (String namespace : namespaces) {
            if (!DEFAULT_NAMESPACES.contains(namespace)) {
                throw new IllegalArgumentException("namespaces may only be " + DEFAULT_NAMESPACES);
            }
        }
        extraction = extraction == null ? List.of() : List.copyOf(extraction);
        for (String strategy : extraction) {
            if (!STRATEGIES.contains(strategy)) {
                throw new IllegalArgumentException("extraction strategies are facts, preferences and session_summary");
            }
        }
        requirePositive(sessionTtl, "sessionTtlSeconds");
        requirePositive(memoryTtl, "memoryTtlSeconds");
    }

    private static void requirePositive(Duration ttl, String name) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The namespaces this agent reads for a session, with the templates filled in. */
    public List<String> resolve(String agent, String actorId, java.util.UUID sessionId) {
        return namespaces.stream().map(template -> switch (template) {
            case "actors/{actorId}" -> "actors/" + actorId;
            case "agents/{agent}" -> "agents/" + agent;
            default -> "sessions/" + sessionId;
        }).toList();
    }
}
