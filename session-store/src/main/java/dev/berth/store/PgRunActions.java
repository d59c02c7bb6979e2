package dev.berth.store;

import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.AnswerDecision;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The part of {@link PgRunStore} about paused runs: recording what they wait for, and answering it. */
final class PgRunActions {
    private final Pool pool;

    PgRunActions(Pool pool) {
        this.pool = pool;
    }

    /** Records the awaited results of a run being paused, in the pausing step's transaction. */
    Uni<Void> insert(SqlConnection conn, Lease lease, List<PendingAction> awaited) {
        if (awaited.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = awaited.size();
        String[] keys = new String[size];
        String[] kinds = new String[size];
        String[] names = new String[size];
        String[] arguments = new String[size];
        Integer[] positions = new Integer[size];
        for (int i = 0; i < size; i++) {
            PendingAction action = awaited.get(i);
            keys[i] = action.callId();
            kinds[i] = action.kind().wire();
            names[i] = action.toolName();
            arguments[i] = action.arguments();
            positions[i] = i;
        }
        Tuple params = Tuple.tuple().addValue(lease.runId()).addValue(lease.tenant().value()).addValue(lease.sessionId())
                .addArrayOfString(keys).addArrayOfString(kinds).addArrayOfString(names).addArrayOfString(arguments)
                .addArrayOfInteger(positions);
        return conn.preparedQuery(ActionSql.INSERT_WAITS).execute(params).replaceWithVoid();
    }

    Uni<List<PendingAction>> find(SqlClient client, TenantId tenant, UUID runId) {
        return client.preparedQuery(ActionSql.FIND_WAITS).execute(Tuple.of(runId, tenant.value()))
                .map(PgRunActions::actions);
    }

    /**
     * Applies runtime-core's decision about a paused run's answers in one transaction, under the
     * session's and the run's row locks, while the run still waits for exactly the calls the
     * decision was made on; nothing is decided here.
     */
    Uni<Run> apply(TenantId tenant, UUID runId, AnswerDecision decision, Optional<RequestKey> key) {
        // The key first: a request with the same key waits there for this transaction (ADR 0024).
        return pool.withTransaction(conn -> KeyClaims.claim(conn, tenant, key, "answers", runId.toString())
                .chain(() -> conn.preparedQuery(ActionSql.RUN_SESSION).execute(Tuple.of(runId, tenant.value())))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("run", runId);
                    }
                    UUID sessionId = rows.iterator().next().getUUID("session_id");
                    return conn.preparedQuery(ActionSql.LOCK_SESSION).execute(Tuple.of(sessionId))
                            .invoke(session -> requireUnexpired(session.iterator().next()))
                            .chain(() -> conn.preparedQuery(ActionSql.LOCK_RUN).execute(Tuple.of(runId)))
                            .invoke(run -> requireWaiting(runId, run.iterator().next().getString("status")))
                            .chain(() -> conn.preparedQuery(ActionSql.OPEN_WAITS).execute(Tuple.of(runId)))
                            .invoke(open -> requireUnchanged(open, decision))
                            .chain(() -> apply(conn, tenant, sessionId, runId, decision));
                }));
    }

    /** The decision was made on other open calls than the run has now (a concurrent answer won): decide again. */
    private static void requireUnchanged(RowSet<Row> open, AnswerDecision decision) {
        Set<String> now = new HashSet<>();
        open.forEach(row -> now.add(row.getString("wait_key")));
        if (!now.equals(decision.openBefore())) {
            throw new ConflictException(RunStore.ACTIONS_CHANGED,
                    "the run's open calls changed while the answers were decided");
        }
    }

    /** A session past its expiry takes no answers, even before the sweeper has marked it expired. */
    private static void requireUnexpired(Row session) {
        if (session.getBoolean("expired")) {
            throw new ConflictException("session-expired", "the session has expired and takes no more answers");
        }
    }

    private static void requireWaiting(UUID runId, String status) {
        if (RunStatus.fromWire(status) != RunStatus.REQUIRES_ACTION) {
            throw new ConflictException("run-not-waiting", "run '" + runId + "' is " + status
                    + ", not waiting for actions");
        }
    }

    private static Uni<Run> apply(SqlConnection conn, TenantId tenant, UUID sessionId, UUID runId,
            AnswerDecision decision) {
        List<NewEvent> events = decision.events();
        return conn.preparedQuery(ActionSql.APPEND_SEQUENCE)
                .execute(Tuple.of(sessionId, tenant.value(), events.size()))
                .chain(rows -> insertEvents(conn, tenant, sessionId, runId, events,
                        rows.iterator().next().getLong("last_seq")))
                .chain(() -> conn.preparedQuery(ActionSql.ANSWER_WAITS).execute(answerParams(runId, decision)))
                .chain(() -> conn.preparedQuery(ActionSql.SETTLE_RUN).execute(Tuple.tuple().addValue(runId)
                        .addArrayOfString(decision.settled().toArray(String[]::new))
                        .addValue(decision.resume())))
                .map(rows -> Rows.run(rows.iterator().next()));
    }

    private static Uni<RowSet<Row>> insertEvents(SqlConnection conn, TenantId tenant, UUID sessionId, UUID runId,
            List<NewEvent> events, long lastSeq) {
        String[] types = events.stream().map(NewEvent::type).toArray(String[]::new);
        String[] payloads = events.stream().map(event -> DocumentJson.write(event.data())).toArray(String[]::new);
        return conn.preparedQuery(ActionSql.INSERT_EVENTS).execute(Tuple.tuple()
                .addValue(tenant.value()).addValue(sessionId).addValue(lastSeq - types.length).addValue(runId)
                .addValue(types).addValue(payloads).addValue(lastSeq));
    }

    private static Tuple answerParams(UUID runId, AnswerDecision decision) {
        List<String> keys = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (ActionAnswer answer : decision.answered()) {
            keys.add(answer.callId());
            answers.add(DocumentJson.write(answer.approve() == null
                    ? DocumentJson.object().put("output", answer.output())
                    : DocumentJson.object().put("approved", answer.approve()).put("reason", answer.reason())));
        }
        return Tuple.tuple().addValue(runId).addArrayOfString(keys.toArray(String[]::new))
                .addArrayOfString(answers.toArray(String[]::new));
    }

    private static List<PendingAction> actions(RowSet<Row> rows) {
        List<PendingAction> actions = new ArrayList<>();
        for (Row row : rows) {
            String answerText = row.getString("answer");
            ActionAnswer answer = null;
            String callId = row.getString("wait_key");
            if (answerText != null) {
                var node = DocumentJson.readObject(answerText);
                answer = node.has("approved")
                        ? ActionAnswer.decision(callId, node.get("approved").asBoolean(),
                                node.hasNonNull("reason") ? node.get("reason").asText() : null)
                        : ActionAnswer.output(callId, node.path("output").asText());
            }
            actions.add(new PendingAction(callId, ActionKind.fromWire(row.getString("kind")),
                    row.getString("tool_name"), row.getString("arguments"), answer));
        }
        return actions;
    }
}
