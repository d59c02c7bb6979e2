package dev.berth.runtime.engine;

import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * The last step of an execution that ends the run here: it fails, or it stops at a cancel
 * request. Calls left open get a result saying why, in the same commit: the store writes them
 * (ADR 0018).
 */
final class Settlement {
    private final ExecutionState run;

    Settlement(ExecutionState run) {
        this.run = run;
    }

    /** @return true: the execution is over */
    Uni<Boolean> fail(RunError error) {
        return settle(RunEvent.FAIL, List.of(EventPayloads.runFailed(error)), error);
    }

    /** @return true: the execution is over */
    Uni<Boolean> stopCancelled() {
        return settle(RunEvent.STOP_CANCELLED, List.of(EventPayloads.runCancelled("cancel requested")), null);
    }

    /**
     * Calls left open are answered by the store in this same commit, before these events (one
     * writer for the rule, berth_answer_open_calls; ADR 0018, 0020): the commit keeps the run's
     * pending calls as they are until the store has read them.
     */
    private Uni<Boolean> settle(RunEvent event, List<NewEvent> events, RunError error) {
        StepCommit commit = StepCommit.after(event).events(events).error(error).build();
        return run.commit(commit).invoke(() -> run.pending = Map.of()).replaceWith(true);
    }
}
