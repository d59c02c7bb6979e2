package dev.berth.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.StepCommit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one argument of {@code berth_commit_step} (R__20_step_commit.sql): a step commit as a
 * JSON object whose fields name each value, instead of 23 positional parameters. Whether the run
 * ends or gives its lease up follows from {@code status} in the SQL (berth_is_live).
 *
 * @param state the session's whole state after the step ({@link StepCommit#sessionState()}), null: unchanged
 * @param stepsBefore the run's committed steps before this one, on a try made again after an unknown
 *                    outcome (RunStore#commitAgain); null on a first try
 */
record StepCommitCall(UUID run, long epoch, String owner, UUID tenant, UUID session, String status,
        Map<String, Integer> pending, Tokens usage, int modelCalls, String output, RunError error, double leaseSeconds,
        Map<String, Object> state, List<Event> events, List<Start> started, Integer stepsBefore) {

    record Tokens(long input, long output, long cached, long reasoning) {
    }

    record Event(String type, JsonNode payload) {
    }

    record Start(String callId, int attempt, String key) {
    }

    static StepCommitCall of(Lease lease, StepCommit step, Duration leaseTtl) {
        return of(lease, step, leaseTtl, null);
    }

    /** @param stepsBefore the run's committed steps before this one, on a try made again; else null */
    static StepCommitCall of(Lease lease, StepCommit step, Duration leaseTtl, Integer stepsBefore) {
        if (!step.statePatch().isEmpty() && step.sessionState() == null) {
            throw new IllegalArgumentException("a step's state patch is applied to the session's state first: "
                    + "StepCommit.onState");
        }
        var usage = step.usage();
        List<Event> events = step.events().stream().map(StepCommitCall::event).toList();
        List<Start> started = step.pendingTools().entrySet().stream()
                .filter(call -> step.startedTools().contains(call.getKey()))
                .map(call -> new Start(call.getKey(), call.getValue(),
                        ToolInvocation.idempotencyKey(lease.runId(), call.getKey())))
                .toList();
        return new StepCommitCall(lease.runId(), lease.epoch(), lease.owner(), lease.tenant().value(),
                lease.sessionId(), step.status().wire(), step.pendingTools(),
                new Tokens(usage.inputTokens(), usage.outputTokens(), usage.cachedTokens(), usage.reasoningTokens()),
                step.modelCall() ? 1 : 0, step.output(), step.error(), leaseTtl.toMillis() / 1000.0,
                step.sessionState(), events, started, stepsBefore);
    }

    private static Event event(NewEvent event) {
        return new Event(event.type(), event.data());
    }

    /** The argument as JSON text (cast to jsonb in the SQL, see {@link RunSql}). */
    String json() {
        return DocumentJson.write(this);
    }
}
