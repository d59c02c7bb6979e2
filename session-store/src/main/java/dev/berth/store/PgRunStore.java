package dev.berth.store;

import dev.berth.runtime.domain.ClaimedRun;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.Lease;
import dev.berth.runtime.domain.LeaseState;
import dev.berth.runtime.domain.Run;
import dev.berth.runtime.domain.RunStatus;
import dev.berth.runtime.domain.StepCommit;
import dev.berth.runtime.domain.Submission;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.Json;
import dev.berth.runtime.port.RunStore;
import dev.berth.runtime.tools.ToolInvocation;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
 * {@link RunStore} on the reactive pg client. Each method is one transaction of a few
 * statements; see the SQL in {@link RunSql}.
 */
@ApplicationScoped
public class PgRunStore implements RunStore {
    private final Pool pool;

    @Inject
    public PgRunStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Run> submit(Submission submission) {
        return pool.withTransaction(conn -> conn.preparedQuery(RunSql.SUBMIT_SEQUENCE)
                        .execute(Tuple.of(submission.sessionId(), submission.tenant().value()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return whyClosed(conn, submission);
                            }
                            Row session = rows.iterator().next();
                            InputPolicy policy = InputPolicy.fromWire(session.getString("input_policy"));
                            return applyPolicy(conn, submission.sessionId(), policy)
                                    .chain(() -> insertInputAndRun(conn, submission, session));
                        }))
                .onFailure().transform(DbErrors::translate);
    }

    /** Fails with what a client should hear about a session that takes no input: missing or expired. */
    private static Uni<Run> whyClosed(SqlConnection conn, Submission submission) {
        return conn.preparedQuery(RunSql.SESSION_STATE)
                .execute(Tuple.of(submission.sessionId(), submission.tenant().value()))
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    if (row != null && ("expired".equals(row.getString("status"))
                            || Boolean.TRUE.equals(row.getBoolean("due")) && "active".equals(row.getString("status")))) {
                        throw new ConflictException("session-expired", "the session has expired and takes no more input");
                    }
                    throw new NotFoundException("session", submission.sessionId());
                });
    }

    private Uni<Void> applyPolicy(SqlConnection conn, UUID sessionId, InputPolicy policy) {
        return switch (policy) {
            case ENQUEUE -> Uni.createFrom().voidItem();
            case REJECT -> conn.preparedQuery(RunSql.ACTIVE_RUN).execute(Tuple.of(sessionId)).invoke(rows -> {
                if (rows.size() > 0) {
                    throw new ConflictException("session-busy",
                            "a run of this session is still active and the session's input policy is 'reject'");
                }
            }).replaceWithVoid();
            case INTERRUPT -> conn.preparedQuery(TeamSql.CANCEL_INTERRUPTED_DESCENDANTS).execute(Tuple.of(sessionId))
                    .chain(() -> conn.preparedQuery(RunSql.INTERRUPT).execute(Tuple.of(sessionId)))
                    .replaceWithVoid();
        };
    }

    private Uni<Run> insertInputAndRun(SqlConnection conn, Submission submission, Row session) {
        Tuple params = Tuple.tuple()
                .addValue(submission.sessionId())
                .addValue(submission.tenant().value())
                .addValue(session.getLong("last_seq"))
                .addValue(submission.runId())
                .addValue(submission.input().type())
                .addValue(Json.write(submission.input().data()))
                .addValue(session.getString("agent_name"))
                .addValue(session.getInteger("agent_version"));
        return conn.preparedQuery(RunSql.INSERT_INPUT_AND_RUN).execute(params)
                .map(rows -> Rows.run(rows.iterator().next()));
    }

    @Override
    public Uni<Optional<Run>> find(TenantId tenant, UUID runId) {
        return pool.preparedQuery(RunSql.FIND).execute(Tuple.of(runId, tenant.value()))
                .map(PgRunStore::firstRun)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<ClaimedRun>> claimNext(String owner, Duration leaseTtl) {
        return pool.preparedQuery(RunSql.CLAIM).execute(Tuple.of(owner, seconds(leaseTtl)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<ClaimedRun>empty();
                    }
                    Row row = rows.iterator().next();
                    Run run = Rows.run(row);
                    Lease lease = new Lease(run.id(), run.sessionId(), run.tenant(), owner, row.getLong("lease_epoch"));
                    return Optional.of(new ClaimedRun(run, lease, Rows.attempts(row.getString("pending")),
                            row.getBoolean("cancel_requested"), "running".equals(row.getString("previous"))));
                })
                // Two claimers raced for two runs of one session: the unique index stopped one; it tries again later.
                .onFailure(DbErrors::isUniqueViolation).recoverWithItem(Optional.empty())
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> commit(Lease lease, StepCommit step, Duration leaseTtl) {
        return pool.withTransaction(conn -> commitOn(conn, lease, step, leaseTtl))
                .onFailure().transform(DbErrors::translate);
    }

    /**
     * The statements of a step commit, on a connection in a transaction. A run that ends here
     * and answers a parent's sub-agent call hands its result to the parent in the same
     * transaction (see {@link ChildResults}).
     */
    static Uni<Void> commitOn(SqlConnection conn, Lease lease, StepCommit step, Duration leaseTtl) {
        boolean settled = step.status().settled();
        return conn.preparedQuery(RunSql.APPEND_SEQUENCE)
                        .execute(Tuple.of(lease.sessionId(), lease.tenant().value(), step.events().size(),
                                step.statePatch().isEmpty() ? null : Json.write(step.statePatch())))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                // The session was deleted under the run: nothing more may be written for it.
                                throw new FencedOutException(lease.runId(), lease.epoch());
                            }
                            long lastSeq = rows.iterator().next().getLong("last_seq");
                            return conn.preparedQuery(RunSql.FENCED_UPDATE).execute(runUpdate(lease, step, leaseTtl))
                                    .chain(updated -> {
                                        if (updated.rowCount() == 0) {
                                            throw new FencedOutException(lease.runId(), lease.epoch());
                                        }
                                        return insertEvents(conn, lease, step, lastSeq, settled);
                                    });
                        })
                .chain(() -> step.status().terminal()
                        ? ChildResults.settle(conn, lease.runId(), step.status(), step.output(), step.error())
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    private static Tuple runUpdate(Lease lease, StepCommit step, Duration leaseTtl) {
        return Tuple.tuple()
                .addValue(lease.runId())
                .addValue(lease.epoch())
                .addValue(step.status().wire())
                .addValue(Json.write(step.pendingTools()))
                .addValue(step.usage().inputTokens())
                .addValue(step.usage().outputTokens())
                .addValue(step.usage().cachedTokens())
                .addValue(step.usage().reasoningTokens())
                .addValue(step.modelCall() ? 1 : 0)
                .addValue(step.output())
                .addValue(step.error() == null ? null : Json.write(step.error()))
                .addValue(step.status().terminal())
                .addValue(seconds(leaseTtl))
                .addValue(lease.owner())
                .addValue(step.status().releasesLease());
    }

    private static Uni<RowSet<Row>> insertEvents(SqlConnection conn, Lease lease, StepCommit step, long lastSeq,
            boolean settled) {
        String[] types = new String[step.events().size()];
        String[] payloads = new String[step.events().size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = step.events().get(i).type();
            payloads[i] = Json.write(step.events().get(i).data());
        }
        return conn.preparedQuery(RunSql.INSERT_EVENTS).execute(Tuple.tuple()
                .addValue(lease.tenant().value())
                .addValue(lease.sessionId())
                .addValue(lastSeq - types.length)
                .addValue(lease.runId())
                .addValue(types)
                .addValue(payloads)
                .addValue(lastSeq)
                .addValue(settled));
    }

    @Override
    public Uni<Void> startTools(Lease lease, Map<String, Integer> attempts, Duration leaseTtl) {
        List<String> ids = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        attempts.forEach((callId, attempt) -> {
            if (attempt > 0) {
                ids.add(callId);
                numbers.add(attempt);
                keys.add(ToolInvocation.idempotencyKey(lease.runId(), callId));
            }
        });
        Tuple params = Tuple.tuple()
                .addValue(lease.runId())
                .addValue(lease.epoch())
                .addValue(Json.write(attempts))
                .addValue(lease.owner())
                .addArrayOfString(ids.toArray(String[]::new))
                .addArrayOfInteger(numbers.toArray(Integer[]::new))
                .addValue(seconds(leaseTtl))
                .addArrayOfString(keys.toArray(String[]::new));
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

    @Override
    public Uni<Optional<Run>> requestCancel(TenantId tenant, UUID runId) {
        // Descendants first, then the run: the same lock order as a child's final commit (child, then parent).
        return pool.withTransaction(conn -> conn.preparedQuery(TeamSql.CANCEL_DESCENDANTS)
                        .execute(Tuple.of(runId, tenant.value()))
                        .chain(() -> conn.preparedQuery(RunSql.CANCEL).execute(Tuple.of(runId, tenant.value())))
                        .map(PgRunStore::firstRun)
                        .call(cancelled -> cancelled.isPresent() && cancelled.get().status() == RunStatus.CANCELLED
                                ? ChildResults.settle(conn, runId, RunStatus.CANCELLED, null, null)
                                : Uni.createFrom().voidItem()))
                .chain(cancelled -> cancelled.isPresent() ? Uni.createFrom().item(cancelled) : find(tenant, runId))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Integer> expireSessions(int limit) {
        return pool.preparedQuery(RunSql.EXPIRE_SESSIONS).execute(Tuple.of(limit))
                .map(rows -> (int) (long) rows.iterator().next().getLong("sessions"))
                .onFailure().transform(DbErrors::translate);
    }

    private static Optional<Run> firstRun(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(Rows.run(rows.iterator().next()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
