package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.Run;
import dev.berth.runtime.memory.MemoryRecord;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

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
    private String actorId;
    private List<MemoryRecord> recalled;

    RunMemory(EngineParts parts, Run run, AgentDefinition agent) {
        this.parts = parts;
        this.run = run;
        this.agent = agent;
    }

    Uni<StepContext> load() {
        Uni<Optional<Event>> summary = parts.events().lastOfType(run.tenant(), run.sessionId(),
                EventType.CONTEXT_COMPACTED);
        return Uni.combine().all().unis(summary.chain(s -> parts.events()
                                .latestAfter(run.tenant(), run.sessionId(),
                                        s.map(e -> e.data().path("throughSeq").asLong(0)).orElse(0L),
                                        parts.config().contextMaxEvents())
                                .map(window -> new StepContext(s.orElse(null), window, List.of(), List.of()))),
                        actor())
                .asTuple()
                .chain(t -> {
                    List<String> namespaces = agent.spec().memory().resolve(agent.name(), t.getItem2(),
                            run.sessionId());
                    return Uni.combine().all().unis(parts.memory().blocks(run.tenant(), namespaces),
                                    recall(t.getItem1(), namespaces))
                            .asTuple()
                            .map(m -> new StepContext(t.getItem1().summary(), t.getItem1().window(), m.getItem1(),
                                    m.getItem2()));
                });
    }

    private Uni<String> actor() {
        if (actorId != null) {
            return Uni.createFrom().item(actorId);
        }
        return parts.sessions().find(run.tenant(), run.sessionId())
                .map(session -> session.map(s -> s.actorId()).orElse(""))
                .invoke(found -> actorId = found);
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
