package dev.berth.store;

import dev.berth.runtime.error.SessionKilled;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.AnswerDecision;
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
import dev.berth.store.internal.BudgetJson;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunStore} on the reactive pg client. Each method is one statement (so one
 * transaction and one round trip), but for a pause; see the SQL in {@link RunSql} and the
 * functions it calls in the {@code R__} migrations (ADR 0020).
 */
@ApplicationScoped
public class PgRunStore implements RunStore {
    private final Pool pool;
    private final PgRunActions actions;

    @Inject
    public PgRunStore(Pool pool) {
        this.pool = pool;
        this.actions = new PgRunActions(pool);
    }

    @Override
    public Uni<Run> submit(Submission submission) {
        Tuple params = Tuple.of(submission.sessionId(), submission.tenant().value(), submission.runId(),
                submission.input().type(), DocumentJson.write(submission.input().data()));
        String sql = RunSql.SUBMIT;
        if (submission.key().isPresent()) {
            // The key is claimed by the same statement (R__10's berth_submit_keyed), before the input.
            RequestKey key = submission.key().get();
            params.addValue(key.value()).addValue(key.fingerprint()).addValue(key.ttl().toSeconds())
                    .addValue(KeyClaims.waitMillis(key));
            sql = RunSql.SUBMIT_KEYED;
        }
        params.addValue(submission.options().toJson());
        return pool.preparedQuery(sql).execute(params)
                .map(rows -> Rows.run(rows.iterator().next()))
                .onFailure().transform(failure -> submitFailure(failure, submission));
    }

    /** What a client should hear about input its session does not take. */
    private static Throwable submitFailure(Throwable failure, Submission submission) {
        return switch (DbErrors.berthCode(failure)) {
            case "BR002" -> new ConflictException("session-busy",
                    "a run of this session is still active and the session's input policy is 'reject'");
            case "BR003" -> new ConflictException("session-expired", "the session has expired and takes no more input");
            case "BR004" -> new NotFoundException("session", submission.sessionId());
            case "BRK01" -> SessionKilled.refusal(submission.sessionId());
            default -> KeyClaims.translate(failure, submission.key());
        };
    }

    @Override
    public Uni<Optional<Run>> find(TenantId tenant, UUID runId) {
        return pool.preparedQuery(RunSql.FIND).execute(Tuple.of(runId, tenant.value()))
                .map(PgRunStore::firstRun)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<ClaimedRun>> claim(String owner, Duration leaseTtl, int max) {
        return pool.preparedQuery(RunSql.CLAIM).execute(Tuple.of(owner, seconds(leaseTtl), max))
                .map(rows -> {
                    List<ClaimedRun> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        Run run = Rows.run(row);
                        Lease lease = new Lease(run.id(), run.sessionId(), run.tenant(), owner, row.getLong("lease_epoch"));
                        claimed.add(new ClaimedRun(run, lease, Rows.attempts(row.getString("pending")),
                                row.getBoolean("cancel_requested"), "running".equals(row.getString("previous")),
                                Rows.instant(row, "active_since"), row.getString("actor_id"),
                                DocumentJson.readMap(row.getString("session_state")), row.getString("traceparent"),
                                row.getInteger("failed_attempts"), BudgetJson.state(row.getString("budget_state"))));
                    }
                    return claimed;
                })
                // Two claimers raced for two runs of one session: the unique index stopped one; it tries again later.
                .onFailure(DbErrors::isUniqueViolation).recoverWithItem(List.of())
                .onFailure().transform(DbErrors::translate);
    }

    /**
     * One statement, also for a run that ends: when it answers a parent's sub-agent call, the
     * step function hands its result to the parent in the same transaction (R__20_step_commit.sql);
     * it also counts the step's usage and reads the budget state back (ADR 0032).
     */
    @Override
    public Uni<CommittedStep> commitStep(Lease lease, StepCommit step, Duration leaseTtl) {
        return commitOn(pool, lease, step, leaseTtl);
    }

    /**
     * The same statement with the run's steps before it: berth_commit_step sees a try that
     * landed (the run is a step further under this lease) and writes nothing again.
     */
    @Override
    public Uni<CommittedStep> commitStepAgain(Lease lease, StepCommit step, int stepsBefore, Duration leaseTtl) {
        return pool.preparedQuery(RunSql.COMMIT_STEP)
                .execute(Tuple.of(StepCommitCall.of(lease, step, leaseTtl, stepsBefore).json()))
                .map(PgRunStore::committed)
                .onFailure().transform(failure -> commitFailure(failure, lease));
    }

    /** A step commit on a pool, or on a connection in a transaction that does more. */
    static Uni<CommittedStep> commitOn(SqlClient client, Lease lease, StepCommit step, Duration leaseTtl) {
        return client.preparedQuery(RunSql.COMMIT_STEP).execute(commitParams(lease, step, leaseTtl))
                .map(PgRunStore::committed)
                .onFailure().transform(failure -> commitFailure(failure, lease));
    }

    private static CommittedStep committed(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        return new CommittedStep(row.getLong("committed_seq"), BudgetJson.state(row.getString("budget_state")));
    }

    /** A pause is a step commit plus what it waits for, in one transaction (pauses are rare). */
    @Override
    public Uni<Void> pause(Lease lease, StepCommit step, List<PendingAction> awaited, Duration leaseTtl) {
        if (step.status() != RunStatus.REQUIRES_ACTION || awaited.isEmpty()) {
            throw new IllegalArgumentException("a pause moves the run to requires_action and awaits something");
        }
        return pool.withTransaction(conn -> conn.preparedQuery(RunSql.COMMIT_STEP)
                        .execute(commitParams(lease, step, leaseTtl))
                        .chain(() -> actions.insert(conn, lease, awaited)))
                .replaceWithVoid()
                .onFailure().transform(failure -> commitFailure(failure, lease));
    }

    private static Throwable commitFailure(Throwable failure, Lease lease) {
        return "BR001".equals(DbErrors.berthCode(failure))
                ? new FencedOutException(lease.runId(), lease.epoch())
                : DbErrors.translate(failure);
    }

    @Override
    public Uni<List<PendingAction>> pendingActions(TenantId tenant, UUID runId) {
        return actions.find(pool, tenant, runId).onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Run> applyAnswers(TenantId tenant, UUID runId, AnswerDecision decision, Optional<RequestKey> key) {
        return actions.apply(tenant, runId, decision, key).onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    private static Tuple commitParams(Lease lease, StepCommit step, Duration leaseTtl) {
        return Tuple.of(StepCommitCall.of(lease, step, leaseTtl).json());
    }

    @Override
    public Uni<Void> startTools(Lease lease, Map<String, Integer> attempts, Duration leaseTtl) {
        ToolStarts starts = ToolStarts.of(lease, attempts, callId -> attempts.get(callId) > 0);
        Tuple params = Tuple.tuple()
                .addValue(lease.runId())
                .addValue(lease.epoch())
                .addValue(DocumentJson.write(attempts))
                .addValue(lease.owner())
                .addArrayOfString(starts.callIds())
                .addArrayOfInteger(starts.attempts())
                .addValue(seconds(leaseTtl))
                .addArrayOfString(starts.keys());
        return pool.preparedQuery(RunSql.START_TOOLS).execute(params)
                .invoke(rows -> {
                    if (rows.iterator().next().getLong("fenced") == 0) {
                        throw new FencedOutException(lease.runId(), lease.epoch());
                    }
                })
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<LeaseState>> heartbeat(List<Lease> leases, Duration leaseTtl) {
        Tuple params = Tuple.tuple()
                .addArrayOfUUID(leases.stream().map(Lease::runId).toArray(UUID[]::new))
                .addArrayOfLong(leases.stream().map(Lease::epoch).toArray(Long[]::new))
                .addArrayOfString(leases.stream().map(Lease::owner).toArray(String[]::new))
                .addValue(seconds(leaseTtl));
        return pool.preparedQuery(RunSql.HEARTBEAT).execute(params)
                .map(rows -> {
                    List<LeaseState> held = new ArrayList<>();
                    for (Row row : rows) {
                        held.add(new LeaseState(row.getUUID("id"), row.getLong("lease_epoch"),
                                row.getBoolean("cancel_requested")));
                    }
                    return held;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> release(Lease lease) {
        return pool.preparedQuery(RunSql.RELEASE).execute(Tuple.of(lease.runId(), lease.epoch()))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    /** One statement: the run and the live runs under it (R__40_run_cancel_and_expiry.sql). */
    @Override
    public Uni<Void> releaseFailed(Lease lease) {
        return pool.preparedQuery(RunSql.RELEASE_FAILED).execute(Tuple.of(lease.runId(), lease.epoch()))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> resetAttempts(Lease lease) {
        return pool.preparedQuery(RunSql.RESET_ATTEMPTS).execute(Tuple.of(lease.runId(), lease.epoch()))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<Run>> requestCancel(TenantId tenant, UUID runId) {
        return pool.preparedQuery(RunSql.CANCEL).execute(Tuple.of(runId, tenant.value()))
                .map(PgRunStore::firstRun)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Integer> expireSessions(int limit) {
        return pool.preparedQuery(RunSql.EXPIRE_SESSIONS).execute(Tuple.of(limit))
                .map(rows -> (int) (long) rows.iterator().next().getLong("sessions"))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<RunBacklog> backlog() {
        return pool.query(RunSql.BACKLOG).execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long ageMillis = Math.max(0, row.getLong("oldest_ms"));
                    return new RunBacklog(row.getLong("queued"), row.getLong("running"), Duration.ofMillis(ageMillis));
                })
                .onFailure().transform(DbErrors::translate);
    }

    private static Optional<Run> firstRun(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(Rows.run(rows.iterator().next()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
