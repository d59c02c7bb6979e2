package dev.berth.runtime.run;

import dev.berth.model.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import dev.berth.runtime.domain.NewEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one step writes, committed in one transaction fenced by the lease epoch: only
 * its new events and a small update of the run. Build one with {@link #to(RunStatus)}.
 *
 * @param events          appended to the session's log, in order
 * @param status          the run's status after the step ({@code RUNNING} to go on)
 * @param usage           tokens used by the step, added to the run's totals
 * @param modelCall       whether the step was a model call (counted against maxSteps)
 * @param pendingTools    the tool calls left unanswered after the step, with attempt counts
 * @param output          the final answer, when the run completes
 * @param error           why the run failed, when it fails
 * @param statePatch      what the step's tools change in the session's state, a JSON merge
 *                        patch ({@link StatePatch}: a null value removes a key, at any depth)
 * @param startedTools    pending calls whose start the step records, at their attempt in
 *                        {@code pendingTools}: the engine runs them right after the commit
 * @param sessionState    the session's whole state after the step ({@link #onState}), which
 *                        the store writes; null when the step leaves the state as it was
 */
public record StepCommit(List<NewEvent> events, RunStatus status, Usage usage, boolean modelCall,
        Map<String, Integer> pendingTools, String output, RunError error, Map<String, Object> statePatch,
        Set<String> startedTools, Map<String, Object> sessionState) {

    /** Prefer {@link #to(RunStatus)}, which names each value. */
    public StepCommit(List<NewEvent> events, RunStatus status, Usage usage, boolean modelCall,
            Map<String, Integer> pendingTools, String output, RunError error, Map<String, Object> statePatch) {
        this(events, status, usage, modelCall, pendingTools, output, error, statePatch, Set.of(), null);
    }

    public StepCommit {
        events = List.copyOf(events);
        Objects.requireNonNull(status, "status");
        usage = usage == null ? Usage.ZERO : usage;
        pendingTools = pendingTools == null ? Map.of() : Map.copyOf(pendingTools);
        statePatch = statePatch == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(statePatch));
        startedTools = startedTools == null ? Set.of() : Set.copyOf(startedTools);
        sessionState = sessionState == null ? null : Collections.unmodifiableMap(new HashMap<>(sessionState));
        if (!pendingTools.keySet().containsAll(startedTools)) {
            throw new IllegalArgumentException("a started tool call must be pending");
        }
        RunLifecycle.step(status); // refuses a status no step reaches (a step cannot queue or expire its run)
    }

    /** A step that leaves its run in {@code status}: name the rest with the builder's methods. */
    public static Builder to(RunStatus status) {
        return new Builder(status);
    }

    /**
     * The step {@code step} of the run's owner: its status is the one the lifecycle table gives
     * ({@link RunLifecycle#afterStep}). What the engine commits.
     */
    public static Builder after(RunEvent step) {
        return new Builder(RunLifecycle.afterStep(step));
    }

    /** {@code state} after this step's patch ({@link StatePatch}). */
    public Map<String, Object> patchedState(Map<String, Object> state) {
        return StatePatch.apply(state, statePatch);
    }

    /**
     * This step with the session's state after it, {@code state} being the state before: what
     * the store writes. The same step when its patch is empty.
     */
    public StepCommit onState(Map<String, Object> state) {
        if (statePatch.isEmpty()) {
            return this;
        }
        return new StepCommit(events, status, usage, modelCall, pendingTools, output, error, statePatch, startedTools,
                patchedState(state));
    }

    /** Names each value of a {@link StepCommit}; what is not named is empty (no usage, no events, ...). */
    public static final class Builder {
        private final RunStatus status;
        private final List<NewEvent> events = new ArrayList<>();
        private Usage usage = Usage.ZERO;
        private boolean modelCall;
        private Map<String, Integer> pendingTools = Map.of();
        private String output;
        private RunError error;
        private Map<String, Object> statePatch = Map.of();
        private Set<String> startedTools = Set.of();

        private Builder(RunStatus status) {
            this.status = status;
        }

        public Builder events(List<NewEvent> more) {
            events.addAll(more);
            return this;
        }

        public Builder event(NewEvent event) {
            events.add(event);
            return this;
        }

        /** A model call: its usage, counted against the agent's steps. */
        public Builder modelCall(Usage used) {
            this.usage = used;
            this.modelCall = true;
            return this;
        }

        /** Tokens used without a model call of the run's own (a compaction's summary). */
        public Builder usage(Usage used) {
            this.usage = used;
            return this;
        }

        public Builder pending(Map<String, Integer> calls) {
            this.pendingTools = calls;
            return this;
        }

        public Builder started(Set<String> calls) {
            this.startedTools = calls;
            return this;
        }

        public Builder output(String text) {
            this.output = text;
            return this;
        }

        public Builder error(RunError runError) {
            this.error = runError;
            return this;
        }

        public Builder statePatch(Map<String, Object> patch) {
            this.statePatch = patch;
            return this;
        }

        public StepCommit build() {
            return new StepCommit(events, status, usage, modelCall, pendingTools, output, error, statePatch,
                    startedTools, null);
        }
    }
}
