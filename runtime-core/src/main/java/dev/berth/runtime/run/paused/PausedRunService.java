package dev.berth.runtime.run.paused;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.RunLifecycle;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What paused runs wait for, and the clients' answers: client-side tool outputs and approval
 * decisions, accepted by any process. The shape of the answers is checked here, and what they do
 * to the run is decided here ({@link ActionResolution}) from what the run waits for; the store
 * applies that decision in one transaction only while the run still waits for the same calls,
 * so concurrent answers are decided again on what the first one left.
 */
@ApplicationScoped
public class PausedRunService {
    public static final int MAX_ACTIONS = InputLimits.MAX_ACTIONS;
    public static final int MAX_REASON_CHARS = InputLimits.MAX_REASON_CHARS;
    /** An argumentsDigest is {@code sha256:} and 64 hex digits; anything longer is no digest of ours. */
    static final int MAX_DIGEST_CHARS = 71;
    /** Answers racing for one run: each loser decides again on what the winner left, this often at most. */
    private static final int MAX_DECISIONS = 8;

    private final RunStore runs;
    private final int maxOutputChars;

    @Inject
    public PausedRunService(RunStore runs, EngineConfig config) {
        this.runs = runs;
        this.maxOutputChars = config.toolMaxOutputChars();
    }

    /** The unanswered actions of a run that requires action; empty for any other run. */
    public Uni<List<PendingAction>> required(TenantId tenant, Run run) {
        if (!RunLifecycle.allows(run.status(), RunEvent.ANSWER)) {
            return Uni.createFrom().item(List.of());
        }
        return runs.pendingActions(tenant, run.id())
                .map(all -> all.stream().filter(action -> !action.answered()).toList());
    }

    /** Applies the answers in one transaction, or nothing at all; the run is queued again once all are in. */
    public Uni<Run> answer(TenantId tenant, UUID runId, List<ActionAnswer> answers) {
        return answer(tenant, runId, answers, Optional.empty());
    }

    /** As {@link #answer(TenantId, UUID, List)}, claiming the client's idempotency key with the answers (ADR 0024). */
    public Uni<Run> answer(TenantId tenant, UUID runId, List<ActionAnswer> answers, Optional<RequestKey> key) {
        return answer(tenant, runId, answers, key, null);
    }

    /**
     * As {@link #answer(TenantId, UUID, List, Optional)}, recording who answered ({@code by}, an
     * {@link dev.berth.runtime.domain.ApiPrincipal#subject()}) in the events the answers append.
     */
    public Uni<Run> answer(TenantId tenant, UUID runId, List<ActionAnswer> answers, Optional<RequestKey> key,
            String by) {
        validate(answers);
        return Uni.createFrom().deferred(() -> decideAndApply(tenant, runId, answers, key, by))
                .onFailure(PausedRunService::decidedOnStaleActions).retry().atMost(MAX_DECISIONS - 1);
    }

    private Uni<Run> decideAndApply(TenantId tenant, UUID runId, List<ActionAnswer> answers, Optional<RequestKey> key,
            String by) {
        return runs.find(tenant, runId)
                .map(found -> found.orElseThrow(() -> new NotFoundException("run", runId)))
                .invoke(run -> {
                    if (!RunLifecycle.allows(run.status(), RunEvent.ANSWER)) {
                        throw notWaiting(runId, run.status());
                    }
                })
                .chain(run -> runs.pendingActions(tenant, runId))
                .map(pending -> ActionResolution.resolve(runId, pending, answers, maxOutputChars, by))
                .chain(resolution -> runs.applyAnswers(tenant, runId, resolution, key));
    }

    /** What a client hears when answering a run that waits for nothing (the store says the same under its lock). */
    private static ConflictException notWaiting(UUID runId, RunStatus status) {
        return new ConflictException("run-not-waiting", "run '" + runId + "' is " + status.wire()
                + ", not waiting for actions");
    }

    private static boolean decidedOnStaleActions(Throwable failure) {
        return failure instanceof ConflictException conflict && RunStore.ACTIONS_CHANGED.equals(conflict.problemType());
    }

    private static void validate(List<ActionAnswer> answers) {
        if (answers == null || answers.isEmpty()) {
            throw ValidationException.field("actions", "must list at least one action");
        }
        if (answers.size() > MAX_ACTIONS) {
            throw ValidationException.field("actions", "must list at most " + MAX_ACTIONS + " actions");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            ActionAnswer answer = answers.get(i);
            String field = "actions[" + i + "]";
            if (answer.callId().isBlank()) {
                errors.put(field + ".callId", "is required");
            } else if (!seen.add(answer.callId())) {
                errors.put(field + ".callId", "answers the call '" + answer.callId() + "' a second time");
            }
            if ((answer.output() == null) == (answer.approve() == null)) {
                errors.put(field, "needs either 'output' (a client-side tool) or 'approve' (an approval)");
            }
            if (answer.argumentsDigest() != null && (answer.approve() == null
                    || answer.argumentsDigest().length() > MAX_DIGEST_CHARS)) {
                errors.put(field + ".argumentsDigest", answer.approve() == null ? "goes with 'approve' only"
                        : "must be at most " + MAX_DIGEST_CHARS + " characters (sha256:<64 hex digits>)");
            }
            if (answer.reason() != null && answer.approve() == null) {
                errors.put(field + ".reason", "goes with 'approve' only");
            } else if (answer.reason() != null && answer.reason().length() > MAX_REASON_CHARS) {
                errors.put(field + ".reason", "must be at most " + MAX_REASON_CHARS + " characters");
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("the actions are invalid", errors);
        }
    }
}
