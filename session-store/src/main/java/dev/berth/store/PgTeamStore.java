package dev.berth.store;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.team.ChildStart;
import dev.berth.runtime.run.team.RunTreeNode;
import dev.berth.runtime.run.team.SubagentCall;
import dev.berth.runtime.run.team.TeamPosition;
import dev.berth.runtime.run.team.TeamStore;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link TeamStore} on the reactive pg client; the SQL is in {@link TeamSql}. */
@ApplicationScoped
public class PgTeamStore implements TeamStore {
    private final Pool pool;

    @Inject
    public PgTeamStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Void> startChildren(Lease lease, StepCommit step, List<ChildStart> children, Duration leaseTtl) {
        if (step.status() != RunStatus.WAITING) {
            throw new IllegalArgumentException("a step that starts children must leave its run waiting");
        }
        return pool.withTransaction(conn -> PgRunStore.commitOn(conn, lease, step, leaseTtl)
                        .chain(() -> children.isEmpty() ? Uni.createFrom().voidItem() : insertChildren(conn, lease, children))
                        // Nothing left open (e.g. every child settled before a takeover): go on at once.
                        .chain(() -> conn.preparedQuery(TeamSql.WAKE_PARENT).execute(Tuple.of(lease.runId())))
                        .replaceWithVoid())
                .onFailure().transform(DbErrors::translate);
    }

    private static Uni<Void> insertChildren(SqlConnection conn, Lease lease, List<ChildStart> children) {
        UUID[] sessions = children.stream().map(ChildStart::sessionId).toArray(UUID[]::new);
        UUID[] runs = children.stream().map(ChildStart::runId).toArray(UUID[]::new);
        String[] agents = children.stream().map(ChildStart::agentName).toArray(String[]::new);
        Integer[] versions = children.stream().map(ChildStart::agentVersion).toArray(Integer[]::new);
        String[] calls = children.stream().map(ChildStart::callId).toArray(String[]::new);
        String[] inputs = children.stream().map(ChildStart::input).toArray(String[]::new);
        UUID tenant = lease.tenant().value();
        return conn.preparedQuery(TeamSql.POSITION).execute(Tuple.of(lease.runId(), tenant))
                .chain(rows -> {
                    Row parent = rows.iterator().next();
                    return conn.preparedQuery(TeamSql.INSERT_CHILD_SESSIONS).execute(Tuple.tuple()
                                    .addValue(lease.sessionId()).addValue(lease.runId())
                                    .addArrayOfUUID(sessions).addArrayOfString(agents)
                                    .addArrayOfInteger(versions).addArrayOfString(calls))
                            .chain(() -> conn.preparedQuery(TeamSql.INSERT_CHILD_INPUTS).execute(Tuple.tuple()
                                    .addValue(tenant).addArrayOfUUID(sessions).addArrayOfUUID(runs)
                                    .addArrayOfString(inputs)))
                            .chain(() -> conn.preparedQuery(TeamSql.INSERT_CHILD_RUNS).execute(Tuple.tuple()
                                    .addValue(tenant).addValue(lease.runId()).addValue(parent.getUUID("root"))
                                    .addValue(parent.getInteger("depth") + 1)
                                    .addArrayOfUUID(runs).addArrayOfUUID(sessions).addArrayOfString(agents)
                                    .addArrayOfInteger(versions)))
                            .chain(() -> conn.preparedQuery(TeamSql.INSERT_CALLS).execute(Tuple.tuple()
                                    .addValue(lease.runId()).addValue(tenant).addArrayOfString(calls)
                                    .addArrayOfString(agents).addArrayOfInteger(versions)
                                    .addArrayOfUUID(sessions).addArrayOfUUID(runs)))
                            .chain(() -> conn.query("select pg_notify('berth_work', '')").execute());
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<List<SubagentCall>> calls(TenantId tenant, UUID parentRunId) {
        return pool.preparedQuery(TeamSql.CALLS).execute(Tuple.of(parentRunId, tenant.value()))
                .map(rows -> {
                    List<SubagentCall> calls = new ArrayList<>();
                    for (Row row : rows) {
                        String error = row.getString("error");
                        RunError runError = null;
                        if (error != null) {
                            var node = DocumentJson.readObject(error);
                            runError = new RunError(node.path("code").asText(), node.path("message").asText());
                        }
                        calls.add(new SubagentCall(row.getString("call_id"), row.getString("agent_name"),
                                row.getInteger("agent_version"), row.getUUID("child_session_id"),
                                row.getUUID("child_run_id"), RunStatus.fromWire(row.getString("status")),
                                row.getString("output"), runError));
                    }
                    return calls;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<TeamPosition> position(TenantId tenant, UUID runId) {
        return pool.preparedQuery(TeamSql.POSITION).execute(Tuple.of(runId, tenant.value()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("run", runId);
                    }
                    Row row = rows.iterator().next();
                    return new TeamPosition(row.getInteger("depth"), row.getUUID("root"), row.getLong("team_steps"));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Map<String, Integer>> pins(TenantId tenant, UUID sessionId) {
        return pool.preparedQuery(TeamSql.PINS).execute(Tuple.of(sessionId, tenant.value()))
                .map(rows -> {
                    Map<String, Integer> pins = new LinkedHashMap<>();
                    if (rows.size() > 0) {
                        DocumentJson.readObject(rows.iterator().next().getString("team")).fields()
                                .forEachRemaining(e -> pins.put(e.getKey(), e.getValue().asInt()));
                    }
                    return pins;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> handOff(Lease lease, StepCommit step, String agentName, int agentVersion, Duration leaseTtl) {
        return pool.withTransaction(conn -> PgRunStore.commitOn(conn, lease, step, leaseTtl)
                        .chain(() -> conn.preparedQuery(TeamSql.HAND_OFF)
                                .execute(Tuple.of(lease.runId(), lease.epoch(), agentName, agentVersion)))
                        .invoke(rows -> {
                            if (rows.size() == 0) {
                                throw new FencedOutException(lease.runId(), lease.epoch());
                            }
                        })
                        .replaceWithVoid())
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> repin(TenantId tenant, UUID sessionId, String agentName, int agentVersion,
            Map<String, Integer> team) {
        return pool.preparedQuery(TeamSql.REPIN)
                .execute(Tuple.of(sessionId, tenant.value(), agentName, agentVersion, DocumentJson.write(team)))
                .map(rows -> rows.rowCount() > 0)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<RunTreeNode>> tree(TenantId tenant, UUID runId) {
        return pool.preparedQuery(TeamSql.TREE).execute(Tuple.of(runId, tenant.value()))
                .map(rows -> {
                    List<RunTreeNode> nodes = new ArrayList<>();
                    for (Row row : rows) {
                        nodes.add(new RunTreeNode(Rows.run(row), nodes.isEmpty() ? null : row.getUUID("parent_run_id"),
                                row.getString("call_id"), row.getInteger("depth")));
                    }
                    return nodes;
                })
                .onFailure().transform(DbErrors::translate);
    }
}
