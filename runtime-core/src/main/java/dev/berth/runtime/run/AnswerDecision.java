package dev.berth.runtime.run;

import dev.berth.runtime.domain.NewEvent;
import java.util.List;
import java.util.Set;

/**
 * What runtime-core decided a client's answers do to a paused run
 * ({@code run.paused.ActionResolution}), handed to the store as data: it applies the decision in
 * one transaction only while the run still waits for exactly {@code openBefore}, and otherwise
 * changes nothing so that the decision is made again on what the run waits for then.
 *
 * @param events      appended to the session, in the order of the answers
 * @param answered    the answers to record against their pending actions
 * @param settled     call ids to remove from the run's pending tool calls
 * @param resume      whether the run goes back to {@code queued}
 * @param openBefore  the calls the run waited for when this was decided
 */
public record AnswerDecision(List<NewEvent> events, List<ActionAnswer> answered, List<String> settled, boolean resume,
        Set<String> openBefore) {

    public AnswerDecision {
        events = List.copyOf(events);
        answered = List.copyOf(answered);
        settled = List.copyOf(settled);
        openBefore = Set.copyOf(openBefore);
    }

    /** The run's status after these answers, from the lifecycle table. */
    public RunStatus status() {
        return RunLifecycle.next(RunStatus.REQUIRES_ACTION, RunEvent.ANSWER,
                resume ? RunLifecycle.Guard.NONE_OPEN : RunLifecycle.Guard.SOME_OPEN);
    }
}
