package dev.berth.runtime.engine;

import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last step of an execution that ends the run here: it fails, or it stops at a cancel
 * request. Calls left open get a result saying why, in the same commit (ADR 0018).
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

    private Uni<Boolean> settle(RunEvent event, List<NewEvent> events, RunError error) {
        if (run.pending.isEmpty()) {
            return settled(event, events, error);
        }
        // Calls that will never get a result get one saying why, committed with the end of the run,
        // so the log itself stays a valid conversation for the runs after this one (ADR 0018).
        String reason = event == RunEvent.STOP_CANCELLED ? "cancelled" : error == null ? "interrupted" : error.code();
        return run.context.load().chain(context -> {
            List<NewEvent> all = new ArrayList<>(ToolTurn.unanswered(context.window(), run.runId(), run.pending, reason));
            all.addAll(events);
            return settled(event, all, error);
        });
    }

    private Uni<Boolean> settled(RunEvent event, List<NewEvent> events, RunError error) {
        StepCommit commit = StepCommit.after(event).events(events).error(error).build();
        return run.commit(commit).invoke(() -> run.pending = Map.of()).replaceWith(true);
    }
}
