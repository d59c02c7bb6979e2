package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.run.Run;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run's steps are built from: the rolling summary, the events after it (at most
 * {@code contextMaxEvents}), the pinned blocks of the agent's namespaces, and the memories
 * recalled for the run's input (once per run: one embedding call). A bounded number of rows
 * whatever the session's length.
 *
 * <p>Read once per execution, then kept: while the run holds its lease it is the session's
 * only writer of anything this run may see (input queued behind it is hidden from it, see
 * {@link StepContext#filter}), so the events its own steps commit are appended to the kept
 * window instead of reading the window again. Whatever the execution cannot follow this way
 * (a compaction, a team step, a failed step, an edit of the pinned blocks) calls
 * {@link #forget()}, and the next step reads afresh.
 *
 * <p>Not thread safe: used by one execution, whose steps run one after the other.
 */
final class KeptContext {
    private final EngineParts parts;
    private final Run run;
    private final AgentDefinition agent;
    private final String actorId;
    private List<MemoryRecord> recalled;
    private StepContext kept;

    /** @param actorId the session's actor, as the claim read it */
    KeptContext(EngineParts parts, Run run, String actorId, AgentDefinition agent) {
        this.parts = parts;
        this.run = run;
        this.actorId = actorId == null ? "" : actorId;
        this.agent = agent;
    }

    /** The context for the next step: kept, or read (the log's tail and the blocks in parallel). */
    Uni<StepContext> load() {
        if (kept != null) {
            return Uni.createFrom().item(kept);
        }
        List<String> namespaces = agent.spec().memory().resolve(agent.name(), actorId, run.sessionId());
        return Uni.combine().all()
                .unis(parts.events().tail(run.tenant(), run.sessionId(), parts.config().contextMaxEvents()),
                        parts.memory().blocks(run.tenant(), namespaces))
                .asTuple()
                .chain(read -> recall(read.getItem1(), namespaces).map(found -> {
                    SessionTail tail = read.getItem1();
                    return new StepContext(tail.summary(), tail.window(), read.getItem2(), found);
                }))
                .invoke(context -> kept = context);
    }

    /**
     * Extends the kept context by what a step of this run just committed.
     *
     * @param lastSeq the sequence number the store gave the last of the events
     */
    void committed(List<NewEvent> events, long lastSeq) {
        if (kept == null || events.isEmpty()) {
            return;
        }
        List<Event> window = new ArrayList<>(kept.window());
        long seq = lastSeq - events.size();
        for (NewEvent event : events) {
            window.add(new Event(run.sessionId(), ++seq, run.id(), event.type(), event.data(), parts.clock().instant()));
        }
        int max = parts.config().contextMaxEvents();
        List<Event> newest = window.size() > max ? window.subList(window.size() - max, window.size()) : window;
        kept = new StepContext(kept.summary(), newest, kept.blocks(), kept.recalled());
    }

    /** The next step reads its context afresh. */
    void forget() {
        kept = null;
    }

    /** The memories most related to the run's input, retrieved once per run. */
    private Uni<List<MemoryRecord>> recall(SessionTail tail, List<String> namespaces) {
        int k = agent.spec().memory().recallTopK();
        if (k == 0 || recalled != null) {
            return Uni.createFrom().item(recalled == null ? List.of() : recalled);
        }
        String input = tail.window().stream()
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
