package dev.berth.runtime.engine;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The model step of an execution: assemble the context, call the model, commit its answer; or,
 * when the window overflows, a compaction step first (ADR 0011). Each ends in one fenced commit.
 */
final class ModelStep {
    private static final Logger LOG = Logger.getLogger(ModelStep.class);

    private final ExecutionState run;
    private final StopSignal stopSignal;
    private final Settlement settlement;

    ModelStep(ExecutionState run, StopSignal stopSignal, Settlement settlement) {
        this.run = run;
        this.stopSignal = stopSignal;
        this.settlement = settlement;
    }

    /** @return true when the execution is over (the run completed or failed) */
    Uni<Boolean> run(StepContext context) {
        int maxSteps = run.agent.spec().limits().maxSteps();
        if (run.modelCalls >= maxSteps) {
            return settlement.fail(new RunError("max_steps_exceeded", "the run reached the agent's limit of "
                    + maxSteps + " model calls"));
        }
        // Before the call, from what the last claim or commit read: no statement of its own (ADR 0032).
        Optional<RunError> overBudget = BudgetCheck.nextCall(run.parts.budgetDefaults(), run.budget,
                run.agent.spec().limits(), run.runTokens);
        if (overBudget.isPresent()) {
            return settlement.fail(overBudget.get());
        }
        return assemble(context)
                .chain(assembled -> {
                    if (assembled.overflowed()) {
                        // Events fell out of the window: fold the older part into the summary first (its own step).
                        int keep = (int) (assembled.eventBudget() * run.parts.memoryConfig().compactionKeep());
                        return compact(context, keep, false);
                    }
                    // With the request counted: a call that may not fit in what is left of a token budget is not made.
                    Optional<RunError> tooBig = BudgetCheck.nextCall(run.parts.budgetDefaults(), run.budget,
                            run.agent.spec().limits(), run.runTokens, assembled.inputTokens());
                    if (tooBig.isPresent()) {
                        return settlement.fail(tooBig.get());
                    }
                    return call(assembled.request(), context);
                });
    }

    /** The model request's context, assembled off the event loop when much is left to count. */
    private Uni<ContextAssembler.Assembled> assemble(StepContext context) {
        return run.parts.context().offLoop(run.agent, run.options, context,
                () -> run.parts.context().assemble(run.agent, run.options, run.modelCalls, context));
    }

    private Uni<Boolean> call(ChatRequest request, StepContext context) {
        // The wall-clock limit also cuts a model call short; a null answer means "stopped", see RunExecution.step().
        Uni<ChatResponse> answer = ModelAnswer.of(run.parts, run.claimed, run.modelCalls + 1, request)
                .ifNoItem().after(run.remaining()).failWith(RunTimedOut::new);
        return stopSignal.race(answer)
                .chain(response -> response == null ? Uni.createFrom().item(false) : commitAnswer(response))
                .onFailure(RunTimedOut.class).recoverWithUni(e -> settlement.fail(run.timedOut()))
                .onFailure(ModelException.ContextLengthExceeded.class).recoverWithUni(e -> run.overflowCompacted
                        ? settlement.fail(RunError.of((ModelException) e))
                        // The model's window is smaller than the budget said: keep only the newest exchange, retry once.
                        : compact(context, 0, true))
                .onFailure(ModelException.class).recoverWithUni(e -> settlement.fail(RunError.of((ModelException) e)));
    }

    /**
     * A compaction step: summarises the older events of the window with a model call and commits
     * the summary as a {@code context.compacted} event, fenced like every step. The next step
     * re-reads the context from after the summary.
     *
     * @param keepTokens  the tokens of newest exchanges kept verbatim
     * @param overflow    whether the model refused the context; then a failure fails the run
     */
    private Uni<Boolean> compact(StepContext context, int keepTokens, boolean overflow) {
        return run.parts.context().offLoop(run.agent, run.options, context,
                        () -> run.parts.context().toFold(run.agent, context, keepTokens))
                .chain(fold -> compact(context, fold, overflow));
    }

    private Uni<Boolean> compact(StepContext context, List<Event> fold, boolean overflow) {
        if (fold.isEmpty()) {
            return overflow ? settlement.fail(new RunError("context_length_exceeded",
                    "the newest exchange alone exceeds the model's context window")) : sendTruncated(context);
        }
        return run.parts.compactor().compact(run.agent, context.summaryText(), fold)
                .ifNoItem().after(run.remaining()).failWith(RunTimedOut::new)
                .chain(compaction -> {
                    run.answerHeld = true;
                    return run.commit(StepCommit.after(RunEvent.STEP).event(compaction.event())
                            .usage(compaction.response().usage()).pending(run.pending).build());
                })
                .map(ignored -> {
                    // The window now starts after the new summary: read it afresh.
                    run.context.forget();
                    run.overflowCompacted = overflow;
                    return false;
                })
                .onFailure(RunTimedOut.class).recoverWithUni(e -> settlement.fail(run.timedOut()))
                .onFailure(ModelException.class).recoverWithUni(e -> {
                    if (overflow) {
                        return settlement.fail(RunError.of((ModelException) e));
                    }
                    LOG.warnf("Compaction for run %s failed (%s); sending the newest events without it",
                            run.runId(), e.toString());
                    return sendTruncated(context);
                });
    }

    /** The model call with what fits, when nothing can be folded (or folding failed). */
    private Uni<Boolean> sendTruncated(StepContext context) {
        return assemble(context)
                .chain(assembled -> call(assembled.request(), context));
    }

    /**
     * Commits the model's answer. When the tool calls it asks for will all run at once (no team,
     * client-side or approval calls), the same statement records their start (attempt 1), so
     * the tool step needs no statement of its own before running them (ADR 0011).
     */
    private Uni<Boolean> commitAnswer(ChatResponse response) {
        run.answerHeld = true;
        List<ToolCall> toolCalls = response.toolCalls();
        boolean last = toolCalls.isEmpty();
        boolean startNow = !last && ToolTurn.allRunNow(toolCalls, run.agent, run.parts.tools()::requiresApproval);
        NewEvent event = EventPayloads.assistantMessage(response, last);
        Map<String, Integer> calls = new LinkedHashMap<>();
        toolCalls.forEach(call -> calls.put(call.id(), startNow ? 1 : 0));
        Set<String> started = startNow ? Set.copyOf(calls.keySet()) : Set.of();
        StepCommit commit = StepCommit.after(last ? RunEvent.COMPLETE : RunEvent.STEP).event(event)
                .modelCall(response.usage()).pending(calls).started(started)
                .output(last ? orEmpty(response.content()) : null).build();
        return run.commit(commit).map(ignored -> {
            run.overflowCompacted = false;
            run.modelCalls++;
            run.pending = calls;
            run.startedWithAnswer = started;
            return last;
        });
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
