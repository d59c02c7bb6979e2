package dev.berth.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.RunError;
import dev.berth.runtime.domain.RunStatus;
import dev.berth.runtime.internal.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * Hands the result of a child run that just ended to its parent, on the connection (and in the
 * transaction) of the child's final write, so the result cannot be lost between the two: the
 * parent's call is settled, a {@code subagent.finished} event is appended to the parent's
 * session, and the parent is queued again if this was its last open call. A run that answers
 * no sub-agent call costs one indexed statement that finds nothing.
 */
final class ChildResults {
    private ChildResults() {
    }

    static Uni<Void> settle(SqlConnection conn, UUID childRunId, RunStatus status, String output, RunError error) {
        return conn.preparedQuery(TeamSql.SETTLE_CALL)
                .execute(Tuple.of(childRunId, status.wire(), output, error == null ? null : Json.write(error)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row call = rows.iterator().next();
                    UUID parentRunId = call.getUUID("parent_run_id");
                    ObjectNode payload = Json.object()
                            .put("callId", call.getString("call_id"))
                            .put("agent", call.getString("agent_name"))
                            .put("childSessionId", call.getUUID("child_session_id").toString())
                            .put("childRunId", childRunId.toString())
                            .put("status", status.wire())
                            .put("output", output);
                    if (error != null) {
                        payload.putObject("error").put("code", error.code()).put("message", error.message());
                    }
                    Tuple event = Tuple.of(call.getUUID("session_id"), parentRunId, EventType.SUBAGENT_FINISHED,
                            Json.write(payload));
                    return conn.preparedQuery(TeamSql.APPEND_PARENT_EVENT).execute(event)
                            .chain(() -> conn.preparedQuery(TeamSql.LOCK_RUN).execute(Tuple.of(parentRunId)))
                            .chain(() -> conn.preparedQuery(TeamSql.WAKE_PARENT).execute(Tuple.of(parentRunId)))
                            .replaceWithVoid();
                });
    }
}
