package dev.berth.store;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.team.TeamStore;
import dev.berth.runtime.testkit.LifecycleBackend;
import dev.berth.testsupport.PostgresDatabase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL adapter ({@link PgRunStore}, {@link PgTeamStore}) as a {@link LifecycleBackend},
 * on a fresh database migrated by Flyway. {@link #reset()} empties it between tries (cheaper
 * than a database per try; the schema and functions stay). Leases lapse by moving their expiry
 * into the past, as a TTL without heartbeats would.
 */
final class PgLifecycleBackend implements LifecycleBackend, AutoCloseable {
    private final PostgresDatabase database = PostgresDatabase.create();
    private final Vertx vertx = Vertx.vertx();
    private final PgPool pool;
    private final PgRunStore runs;
    private final PgTeamStore teams;

    PgLifecycleBackend() {
        Flyway.configure().dataSource(database.jdbcUrl(), "postgres", "").load().migrate();
        pool = PgPool.pool(vertx, PgConnectOptions.fromUri(database.url()).setUser("postgres"),
                new PoolOptions().setMaxSize(2));
        runs = new PgRunStore(pool);
        teams = new PgTeamStore(pool);
    }

    private RowSet<Row> sql(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).await().atMost(Duration.ofSeconds(30));
    }

    /** Empties the database and adds the tenant and the two agents. */
    void reset() {
        // Every row hangs off its tenant (on delete cascade); a delete of a few rows is cheaper than a truncate.
        pool.query("delete from tenants").execute().await().atMost(Duration.ofSeconds(30));
        sql("insert into tenants (id, name) values ($1, 't')", Tuple.of(TENANT.value()));
        sql("insert into agents (tenant_id, name, version, definition) values ($1, $2, 1, '{}'), ($1, $3, 1, '{}')",
                Tuple.of(TENANT.value(), AGENT, HELPER));
    }

    @Override
    public RunStore runs() {
        return runs;
    }

    @Override
    public TeamStore teams() {
        return teams;
    }

    @Override
    public void openSession(UUID id, InputPolicy policy) {
        sql("insert into sessions (id, tenant_id, agent_name, agent_version, actor_id, status, input_policy)"
                + " values ($1, $2, $3, 1, 'actor-1', 'active', $4)", Tuple.of(id, TENANT.value(), AGENT, policy.wire()));
    }

    @Override
    public void expireLeases() {
        sql("update runs set lease_expires_at = now() - interval '1 second' where status = 'running'", Tuple.tuple());
    }

    @Override
    public Snapshot snapshot() {
        Map<UUID, RunView> views = new LinkedHashMap<>();
        for (Row r : sql("select id, session_id, input_seq, parent_run_id, status, step, lease_epoch, model_calls,"
                + " output, error ->> 'code' as error_code, cancel_requested from runs order by created_at, id", Tuple.tuple())) {
            views.put(r.getUUID("id"), new RunView(r.getUUID("id"), r.getUUID("session_id"), r.getLong("input_seq"),
                    r.getUUID("parent_run_id"), RunStatus.fromWire(r.getString("status")), r.getInteger("step"),
                    r.getLong("lease_epoch"), r.getInteger("model_calls"), r.getString("output"),
                    r.getString("error_code"), r.getBoolean("cancel_requested")));
        }
        Map<UUID, List<EventView>> events = new LinkedHashMap<>();
        for (Row e : sql("select s.id as session_id, e.seq, e.type, e.run_id from sessions s"
                + " left join events e on e.session_id = s.id order by s.id, e.seq", Tuple.tuple())) {
            List<EventView> log = events.computeIfAbsent(e.getUUID("session_id"), id -> new ArrayList<>());
            if (e.getLong("seq") != null) {
                log.add(new EventView(e.getLong("seq"), e.getString("type"), e.getUUID("run_id")));
            }
        }
        List<CallView> calls = new ArrayList<>();
        for (Row c : sql("select parent_run_id, call_id, child_run_id, status from subagent_calls"
                + " order by parent_run_id, call_id", Tuple.tuple())) {
            calls.add(new CallView(c.getUUID("parent_run_id"), c.getString("call_id"), c.getUUID("child_run_id"),
                    RunStatus.fromWire(c.getString("status"))));
        }
        return new Snapshot(views, events, calls);
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        database.close();
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }
}
