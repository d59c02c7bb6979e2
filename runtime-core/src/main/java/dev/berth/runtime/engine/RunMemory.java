package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.Run;
import dev.berth.runtime.memory.MemoryRecord;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Reads what a step's context is built from, for one run: the rolling summary, the events after
 * it (at most {@code contextMaxEvents}), the pinned blocks of the agent's namespaces, and the
 * memories recalled for the run's input (once per run: one embedding call). A bounded number
 * of rows whatever the session's length.
 *
 * <p>Not thread safe: used by one execution, whose steps run one after the other.
 */
final class RunMemory {
    private final EngineParts parts;
    private final Run run;
    private final AgentDefinition agent;
    private final String actorId;
    private List<MemoryRecord> recalled;

    /** @param actorId the session's actor, as the claim read it */
    RunMemory(EngineParts parts, Run run, String actorId, AgentDefinition agent) {
        this.parts = parts;
        this.run = run;
        this.actorId = actorId == null ? "" : actorId;
        this.agent = agent;
    }

    Uni<StepContext> load() {
        List<String> namespaces = agent.spec().memory().resolve(agent.name(), actorId, run.sessionId());
        return parts.events().lastOfType(run.tenant(), run.sessionId(), EventType.CONTEXT_COMPACTED)
                .chain(summary -> parts.events()
                        .latestAfter(run.tenant(), run.sessionId(),
                                summary.map(e -> e.data().path("throughSeq").asLong(0)).orElse(0L),
                                parts.config().contextMaxEvents())
                        .map(window -> new StepContext(summary.orElse(null), window, List.of(), List.of())))
                .chain(events -> Uni.combine().all().unis(parts.memory().blocks(run.tenant(), namespaces),
                                recall(events, namespaces))
                        .asTuple()
                        .map(m -> new StepContext(events.summary(), events.window(), m.getItem1(), m.getItem2())));
    }

    /** The memories most related to the run's input, retrieved once per run. */
    private Uni<List<MemoryRecord>> recall(StepContext context, List<String> namespaces) {
        int k = agent.spec().memory().recallTopK();
        if (k == 0 || recalled != null) {
            return Uni.createFrom().item(recalled == null ? List.of() : recalled);
        }
        String input = context.window().stream()
                .filter(e -> e.seq() == run.inputSeq() && EventType.USER_MESSAGE.equals(e.type()))
                .map(e -> e.data().path("text").asText(""))
                .findFirst().orElse("");
        if (input.isBlank()) {
            return Uni.createFrom().item(List.of());
        }
        return parts.memory().search(run.tenant(), namespaces, input, k)
                .map(found -> found.stream().map(f -> f.record()).toList())
                .invoke(found -> recalled = found)
                // Memory is a help, not a precondition: without the embeddings API the run goes on without it.
                .onFailure().recoverWithItem(failure -> List.of());
    }
}
