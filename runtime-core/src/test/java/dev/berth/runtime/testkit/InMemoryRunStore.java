package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.AnswerDecision;
import dev.berth.runtime.run.BudgetState;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.CommittedStep;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.LeaseState;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunBacklog;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.Submission;
import dev.berth.runtime.testkit.InMemoryDatabase.ToolStart;
import dev.berth.testsupport.FakeClock;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link dev.berth.runtime.run.RunStore} in memory, as strict as the PostgreSQL adapter: every
 * method is one atomic transaction of the {@link InMemoryDatabase}; writes are fenced by lease
 * epoch, owner and status, and a stale one fails with {@link FencedOutException} having changed
 * nothing; leases expire by the {@link FakeClock}. Failures come as failed {@code Uni}s, like the
 * adapter's. Thread safe.
 */
public final class InMemoryRunStore implements RunStore {
    private final InMemoryDatabase db;

    public InMemoryRunStore(InMemoryDatabase db) {
        this.db = db;
    }

    private <T> Uni<T> tx(Supplier<T> work) {
        return Uni.createFrom().item(() -> db.statement(work));
    }

    private Instant now() {
        return db.clock.instant();
    }

    @Override
    public Uni<Run> submit(Submission submission) {
        if (submission.key().isPresent()) {
            throw new UnsupportedOperationException("the in-memory store keeps no idempotency keys");
        }
        return tx(() -> {
            SessionRow session = db.sessions.get(submission.sessionId());
            if (session == null || !session.tenant.equals(submission.tenant())) {
                throw new NotFoundException("session", submission.sessionId());
            }
            if (!session.open(now())) {
                throw new ConflictException("session-expired", "the session has expired and takes no more input");
            }
            if (session.policy == InputPolicy.REJECT && db.sessionBusy(session.id)) {
                throw new ConflictException("session-busy",
                        "a run of this session is still active and the session's input policy is 'reject'");
            }
            if (session.policy == InputPolicy.INTERRUPT) {
                interrupt(session.id);
            }
            long seq = db.append(session, submission.runId(), List.of(submission.input()));
            RunRow run = new RunRow(submission.runId(), session.tenant, session.id, seq, session.agentName,
                    session.agentVersion, now());
            db.runs.put(run.id, run);
            db.notifyWork();
            return run.toRun();
        });
    }

    /** The interrupt policy: every live run of the session, with its tree, in input order. */
    private void interrupt(UUID sessionId) {
        db.runs.values().stream().filter(r -> r.sessionId.equals(sessionId) && InMemoryDatabase.LIVE.contains(r.status))
                .sorted(java.util.Comparator.comparingLong(r -> r.inputSeq)).toList()
                .forEach(run -> db.cancelTree(run.id, true));
    }

    @Override
    public Uni<Optional<Run>> find(TenantId tenant, UUID runId) {
        return tx(() -> Optional.ofNullable(db.runs.get(runId)).filter(r -> r.tenant.equals(tenant)).map(RunRow::toRun));
    }

    @Override
    public Uni<List<ClaimedRun>> claim(String owner, Duration leaseTtl, int max) {
        return tx(() -> {
            List<RunRow> candidates = db.runs.values().stream().filter(this::claimable).limit(max).toList();
            Set<UUID> sessions = new HashSet<>();
            for (RunRow run : db.runs.values()) {
                if (run.status == RunStatus.RUNNING && !candidates.contains(run) && !sessions.add(run.sessionId)) {
                    throw new IllegalStateException("two running runs in session " + run.sessionId);
                }
            }
            for (RunRow run : candidates) {
                if (!sessions.add(run.sessionId)) {
                    // The unique index of running runs per session refuses the statement: nothing is claimed.
                    return List.of();
                }
            }
            List<ClaimedRun> claimed = new ArrayList<>();
            for (RunRow run : candidates) {
                boolean takeover = run.status == RunStatus.RUNNING;
                // A lease that expired under its owner is a failed attempt; a release cleared the owner (ADR 0021).
                if (takeover && run.leaseOwner != null) {
                    run.failedAttempts++;
                }
                run.status = RunStatus.RUNNING;
                run.leaseOwner = owner;
                run.leaseEpoch++;
                run.leaseExpiresAt = now().plus(leaseTtl);
                run.startedAt = run.startedAt == null ? now() : run.startedAt;
                SessionRow session = db.sessions.get(run.sessionId);
                Lease lease = new Lease(run.id, run.sessionId, run.tenant, owner, run.leaseEpoch);
                claimed.add(new ClaimedRun(run.toRun(), lease, run.pendingTools, run.cancelRequested, takeover,
                        run.resumedAt == null ? run.startedAt : run.resumedAt, session.actorId, session.state,
                        traceparent(run), run.failedAttempts));
            }
            return claimed;
        });
    }

    private boolean claimable(RunRow run) {
        if (run.status == RunStatus.RUNNING) {
            return run.leaseExpiresAt != null && run.leaseExpiresAt.isBefore(now());
        }
        return run.status == RunStatus.QUEUED && db.runs.values().stream().noneMatch(other ->
                other.sessionId.equals(run.sessionId) && other.inputSeq < run.inputSeq
                        && InMemoryDatabase.LIVE.contains(other.status));
    }

    private String traceparent(RunRow run) {
        return db.events.get(run.sessionId).stream().filter(e -> e.seq() == run.inputSeq).findFirst()
                .map(Event::data).filter(data -> data.hasNonNull("traceparent"))
                .map(data -> data.get("traceparent").asText()).orElse(null);
    }

    /** The run a lease may write, or FencedOutException: wrong epoch, owner, status, or its session is gone. */
    RunRow fenced(Lease lease) {
        RunRow run = db.runs.get(lease.runId());
        SessionRow session = db.sessions.get(lease.sessionId());
        if (session == null || !session.tenant.equals(lease.tenant()) || run == null
                || run.leaseEpoch != lease.epoch() || !lease.owner().equals(run.leaseOwner)
                || run.status != RunStatus.RUNNING) {
            throw new FencedOutException(lease.runId(), lease.epoch());
        }
        return run;
    }

    /** This store keeps no usage counters: a run that goes on reads {@link BudgetState#NONE}. */
    @Override
    public Uni<CommittedStep> commitStep(Lease lease, StepCommit step, Duration leaseTtl) {
        return tx(() -> committed(apply(lease, step, leaseTtl), step));
    }

    @Override
    public Uni<CommittedStep> commitStepAgain(Lease lease, StepCommit step, int stepsBefore, Duration leaseTtl) {
        return tx(() -> {
            RunRow run = db.runs.get(lease.runId());
            if (run != null && run.leaseEpoch == lease.epoch() && run.step == stepsBefore + 1) {
                // The earlier try landed: its answer is the sequence of the run's last event.
                return committed(db.events.get(lease.sessionId()).stream().filter(e -> lease.runId().equals(e.runId()))
                        .mapToLong(Event::seq).max().orElse(0), step);
            }
            return committed(apply(lease, step, leaseTtl), step);
        });
    }

    private static CommittedStep committed(long lastSeq, StepCommit step) {
        return new CommittedStep(lastSeq, step.status() == RunStatus.RUNNING ? BudgetState.NONE : null);
    }

    /** The step commit ({@code berth_commit_step}): called inside a transaction. */
    long apply(Lease lease, StepCommit step, Duration leaseTtl) {
        if (!step.statePatch().isEmpty() && step.sessionState() == null) {
            // As the adapter: the store writes a state, it does not patch one.
            throw new IllegalArgumentException("a step's state patch is applied to the session's state first: StepCommit.onState");
        }
        RunRow run = fenced(lease);
        SessionRow session = db.sessions.get(lease.sessionId());
        if (step.sessionState() != null) {
            // The state after the step, as runtime-core patched it (StatePatch): the store writes it as it is.
            session.state = new LinkedHashMap<>(step.sessionState());
        }
        if (step.status().terminal()) {
            // The calls the run leaves open get their results first, read from the row before it
            // takes the step's pending (berth_commit_step with berth_answer_open_calls).
            db.answerOpenCalls(run, openCallsReason(step));
        }
        long last = db.append(session, run.id, step.events());
        run.step++;
        run.status = step.status();
        run.pendingTools = new LinkedHashMap<>(step.pendingTools());
        run.usage = run.usage.plus(step.usage());
        run.modelCalls += step.modelCall() ? 1 : 0;
        run.output = step.output() == null ? run.output : step.output();
        run.error = step.error() == null ? run.error : step.error();
        if (step.status().terminal()) {
            run.finishedAt = now();
        }
        if (step.status().releasesLease()) {
            run.leaseOwner = null;
            run.leaseExpiresAt = null;
        } else {
            run.leaseExpiresAt = now().plus(leaseTtl);
        }
        recordStarts(lease, step.pendingTools(), step.startedTools());
        if (step.status().terminal()) {
            db.handOver(run.id, step.status(), step.output(), step.error());
        }
        if (step.status().releasesLease()) {
            db.notifyRun(run.id);
            if (db.runs.values().stream().anyMatch(r -> r.sessionId.equals(run.sessionId)
                    && r.status == RunStatus.QUEUED)) {
                db.notifyWork();
            }
        }
        return last;
    }

    /** Why a run that ends leaves its calls open, as berth_commit_step says it. */
    private static String openCallsReason(StepCommit step) {
        if (step.status() == RunStatus.CANCELLED) {
            return "cancelled";
        }
        return step.error() == null ? "interrupted" : step.error().code();
    }

    private void recordStarts(Lease lease, Map<String, Integer> attempts, Set<String> started) {
        attempts.forEach((callId, attempt) -> {
            boolean recorded = db.toolStarts.stream().anyMatch(s -> s.runId().equals(lease.runId())
                    && s.callId().equals(callId) && s.attempt() == attempt);
            if (started.contains(callId) && !recorded) {
                db.toolStarts.add(new ToolStart(lease.runId(), callId, attempt,
                        ToolInvocation.idempotencyKey(lease.runId(), callId), lease.owner(), lease.epoch()));
            }
        });
    }

    @Override
    public Uni<Void> startTools(Lease lease, Map<String, Integer> attempts, Duration leaseTtl) {
        return tx(() -> {
            RunRow run = fenced(lease);
            run.pendingTools = new LinkedHashMap<>(attempts);
            run.leaseExpiresAt = now().plus(leaseTtl);
            Set<String> started = new HashSet<>();
            attempts.forEach((callId, attempt) -> {
                if (attempt > 0) {
                    started.add(callId);
                }
            });
            recordStarts(lease, attempts, started);
            return null;
        });
    }

    @Override
    public Uni<Void> pause(Lease lease, StepCommit step, List<PendingAction> awaited, Duration leaseTtl) {
        if (step.status() != RunStatus.REQUIRES_ACTION || awaited.isEmpty()) {
            throw new IllegalArgumentException("a pause moves the run to requires_action and awaits something");
        }
        return tx(() -> {
            apply(lease, step, leaseTtl);
            List<PendingAction> waits = db.waits.computeIfAbsent(lease.runId(), id -> new ArrayList<>());
            for (PendingAction action : awaited) {
                if (waits.stream().noneMatch(w -> w.callId().equals(action.callId()))) {
                    waits.add(PendingAction.unanswered(action.callId(), action.kind(), action.toolName(),
                            action.arguments()));
                }
            }
            return null;
        });
    }

    @Override
    public Uni<List<PendingAction>> pendingActions(TenantId tenant, UUID runId) {
        return tx(() -> {
            RunRow run = db.runs.get(runId);
            return run == null || !run.tenant.equals(tenant) ? List.<PendingAction>of()
                    : List.copyOf(db.waits.getOrDefault(runId, List.of()));
        });
    }

    @Override
    public Uni<Run> applyAnswers(TenantId tenant, UUID runId, AnswerDecision decision, Optional<RequestKey> key) {
        if (key.isPresent()) {
            throw new UnsupportedOperationException("the in-memory store keeps no idempotency keys");
        }
        return tx(() -> {
            RunRow run = db.runs.get(runId);
            if (run == null || !run.tenant.equals(tenant)) {
                throw new NotFoundException("run", runId);
            }
            if (!db.sessions.get(run.sessionId).open(now())) {
                throw new ConflictException("session-expired", "the session has expired and takes no more answers");
            }
            if (run.status != RunStatus.REQUIRES_ACTION) {
                throw new ConflictException("run-not-waiting", "run '" + runId + "' is " + run.status.wire()
                        + ", not waiting for actions");
            }
            List<PendingAction> waits = db.waits.getOrDefault(runId, List.of());
            Set<String> open = new HashSet<>();
            waits.stream().filter(w -> !w.answered()).forEach(w -> open.add(w.callId()));
            if (!open.equals(decision.openBefore())) {
                throw new ConflictException(ACTIONS_CHANGED, "the run's open calls changed while the answers were decided");
            }
            db.append(db.sessions.get(run.sessionId), runId, decision.events());
            Map<String, ActionAnswer> byKey = new LinkedHashMap<>();
            decision.answered().forEach(answer -> byKey.put(answer.callId(), answer));
            db.waits.put(runId, new ArrayList<>(waits.stream().map(w -> w.answered() || !byKey.containsKey(w.callId())
                    ? w : new PendingAction(w.callId(), w.kind(), w.toolName(), w.arguments(), byKey.get(w.callId())))
                    .toList()));
            decision.settled().forEach(run.pendingTools::remove);
            if (decision.resume()) {
                run.status = RunStatus.QUEUED;
                run.resumedAt = now();
            }
            db.notifyRun(runId);
            db.notifyWork();
            return run.toRun();
        });
    }

    @Override
    public Uni<List<LeaseState>> heartbeat(List<Lease> leases, Duration leaseTtl) {
        return tx(() -> {
            List<LeaseState> held = new ArrayList<>();
            for (Lease lease : leases) {
                RunRow run = db.runs.get(lease.runId());
                if (run != null && run.leaseEpoch == lease.epoch() && lease.owner().equals(run.leaseOwner)
                        && run.status == RunStatus.RUNNING) {
                    run.leaseExpiresAt = now().plus(leaseTtl);
                    held.add(new LeaseState(run.id, run.leaseEpoch, run.cancelRequested));
                }
            }
            return held;
        });
    }

    @Override
    public Uni<Void> release(Lease lease) {
        return tx(() -> {
            RunRow run = db.runs.get(lease.runId());
            if (run != null && run.leaseEpoch == lease.epoch() && run.status == RunStatus.RUNNING) {
                run.leaseOwner = null;
                run.leaseExpiresAt = now().minusMillis(1);
                db.notifyWork();
            }
            return null;
        });
    }

    @Override
    public Uni<Void> releaseFailed(Lease lease) {
        return tx(() -> {
            RunRow run = db.runs.get(lease.runId());
            if (run != null && run.leaseEpoch == lease.epoch() && run.status == RunStatus.RUNNING) {
                run.leaseOwner = null;
                run.leaseExpiresAt = now().minusMillis(1);
                run.failedAttempts++;
                db.notifyWork();
            }
            return null;
        });
    }

    @Override
    public Uni<Void> resetAttempts(Lease lease) {
        return tx(() -> {
            RunRow run = db.runs.get(lease.runId());
            if (run != null && run.leaseEpoch == lease.epoch() && run.status == RunStatus.RUNNING) {
                run.failedAttempts = 0;
            }
            return null;
        });
    }

    @Override
    public Uni<Optional<Run>> requestCancel(TenantId tenant, UUID runId) {
        return tx(() -> {
            RunRow run = db.runs.get(runId);
            if (run == null || !run.tenant.equals(tenant)) {
                return Optional.<Run>empty();
            }
            // The deepest first, the run last: the lock order of a child's final commit (child, then parent).
            db.cancelTree(runId, true);
            return Optional.of(run.toRun());
        });
    }

    @Override
    public Uni<Integer> expireSessions(int limit) {
        return tx(() -> {
            List<SessionRow> due = db.sessions.values().stream()
                    .filter(s -> !s.expired && s.expiresAt != null && !s.expiresAt.isAfter(now()))
                    .sorted(java.util.Comparator.comparing(s -> s.expiresAt)).limit(limit).toList();
            for (SessionRow session : due) {
                session.expired = true;
                db.runs.values().stream()
                        .filter(r -> r.sessionId.equals(session.id) && InMemoryDatabase.LIVE.contains(r.status))
                        .sorted(java.util.Comparator.comparingLong(r -> r.inputSeq)).toList()
                        .forEach(run -> db.settleLive(run, RunStatus.EXPIRED, "expired"));
            }
            return due.size();
        });
    }

    @Override
    public Uni<RunBacklog> backlog() {
        return tx(() -> {
            long queued = db.runs.values().stream().filter(r -> r.status == RunStatus.QUEUED).count();
            long running = db.runs.values().stream().filter(r -> r.status == RunStatus.RUNNING).count();
            Duration oldest = db.runs.values().stream().filter(r -> r.status == RunStatus.QUEUED)
                    .map(r -> Duration.between(r.createdAt, now())).max(Duration::compareTo).orElse(Duration.ZERO);
            return new RunBacklog(queued, running, oldest);
        });
    }
}
