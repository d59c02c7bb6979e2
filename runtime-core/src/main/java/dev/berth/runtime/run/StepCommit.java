package dev.berth.runtime.run;

import dev.berth.model.Usage;
import dev.berth.runtime.domain.NewEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one step writes, committed in one transaction fenced by the lease epoch: only
 * its new events and a small update of the run.
 *
 * @param events          appended to the session's log, in order
 * @param status          the run's status after the step ({@code RUNNING} to go on)
 * @param usage           tokens used by the step, added to the run's totals
 * @param modelCall       whether the step was a model call (counted against maxSteps)
 * @param pendingTools    the tool calls left unanswered after the step, with attempt counts
 * @param output          the final answer, when the run completes
 * @param error           why the run failed, when it fails
 * @param statePatch      keys to set in the session's state (a null value removes the key)
 * @param startedTools    pending calls whose start the step records, at their attempt in
 *                        {@code pendingTools}: the engine runs them right after the commit
 */
public record StepCommit(List<NewEvent> events, RunStatus status, Usage usage, boolean modelCall,
        Map<String, Integer> pendingTools, String output, RunError error, Map<String, Object> statePatch,
        Set<String> startedTools) {

    public StepCommit(List<NewEvent> events, RunStatus status, Usage usage, boolean modelCall,
            Map<String, Integer> pendingTools, String output, RunError error, Map<String, Object> statePatch) {
        this(events, status, usage, modelCall, pendingTools, output, error, statePatch, Set.of());
    }

    public StepCommit {
        events = List.copyOf(events);
        Objects.requireNonNull(status, "status");
        usage = usage == null ? Usage.ZERO : usage;
        pendingTools = pendingTools == null ? Map.of() : Map.copyOf(pendingTools);
        statePatch = statePatch == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(statePatch));
        startedTools = startedTools == null ? Set.of() : Set.copyOf(startedTools);
        if (!pendingTools.keySet().containsAll(startedTools)) {
            throw new IllegalArgumentException("a started tool call must be pending");
        }
        if (status == RunStatus.QUEUED) {
            throw new IllegalArgumentException("a step cannot queue its run");
        }
    }

    /** {@code state} after this step's patch: null values remove keys, as the database applies it. */
    public Map<String, Object> patchedState(Map<String, Object> state) {
        if (statePatch.isEmpty()) {
            return state;
        }
        Map<String, Object> next = new java.util.LinkedHashMap<>(state);
        statePatch.forEach((key, value) -> {
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
        });
        return next;
    }
}
