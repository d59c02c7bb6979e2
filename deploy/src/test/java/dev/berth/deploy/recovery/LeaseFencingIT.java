package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.model.Usage;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.Submission;
import dev.berth.store.PgRunStore;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2 at the store: once another process took a run over, every write of the previous
 * owner (a step, a tool start, a heartbeat, a release) is rejected and changes nothing.
 */
class LeaseFencingIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private PostgresDatabase database;
    private Vertx vertx;
    private PgPool pool;
    private PgRunStore store;
    private final TenantId tenant = new TenantId(UUID.randomUUID());
    private final UUID session = UUID.randomUUID();

    @BeforeEach
    void givenASessionInAMigratedDatabase() throws Exception {
        database = PostgresDatabase.create();
        Flyway.configure().dataSource(database.jdbcUrl(), "postgres", "").load().migrate();
        try (Connection sql = database.connect(); var statement = sql.createStatement()) {
            statement.execute("insert into tenants (id, name) values ('" + tenant + "', 't')");
            statement.execute("insert into agents (tenant_id, name, version, definition) values ('" + tenant
                    + "', 'a', 1, '{}')");
            statement.execute("insert into sessions (id, tenant_id, agent_name, agent_version, actor_id, status,"
                    + " input_policy) values ('" + session + "', '" + tenant + "', 'a', 1, 'x', 'active', 'enqueue')");
        }
        vertx = Vertx.vertx();
        PgConnectOptions options = PgConnectOptions.fromUri(database.url()).setUser("postgres");
        pool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(4));
        store = new PgRunStore(pool);
    }

    @AfterEach
    void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        database.close();
    }

    @Test
    void aStaleOwnerCanNoLongerWriteAnything() throws Exception {
        // Given a run claimed by A, whose lease expired, and taken over by B
        UUID runId = UUID.randomUUID();
        store.submit(new Submission(tenant, session, runId, new NewEvent(EventType.USER_MESSAGE,
                JsonNodeFactory.instance.objectNode().put("text", "hi")))).await().atMost(WAIT);
        ClaimedRun a = store.claim("owner-a", Duration.ofMillis(300), 1).await().atMost(WAIT).getFirst();
        ClaimedRun b = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> store.claim("owner-b", Duration.ofSeconds(30), 1).await().atMost(WAIT),
                        claimed -> !claimed.isEmpty()).getFirst();

        // When A, unaware, commits a step, records a tool start, renews and releases its lease
        Throwable commit = catchFailure(() -> store.commit(a.lease(), step("stale answer"), Duration.ofSeconds(30))
                .await().atMost(WAIT));
        Throwable start = catchFailure(() -> store.startTools(a.lease(), Map.of("call_1", 1), Duration.ofSeconds(30))
                .await().atMost(WAIT));
        List<?> renewed = store.heartbeat(List.of(a.lease()), Duration.ofSeconds(30)).await().atMost(WAIT);
        store.release(a.lease()).await().atMost(WAIT);

        // Then each write is refused, and the session shows only what the current owner may write
        assertThat(b.takeover()).isTrue();
        assertThat(b.lease().epoch()).isGreaterThan(a.lease().epoch());
        assertThat(commit).isInstanceOf(FencedOutException.class);
        assertThat(start).isInstanceOf(FencedOutException.class);
        assertThat(renewed).isEmpty();
        assertThat(query("select string_agg(type, ',' order by seq) from events")).isEqualTo("user.message");
        assertThat(query("select count(*)::text from tool_calls")).isEqualTo("0");
        assertThat(query("select lease_owner || ':' || lease_epoch from runs")).isEqualTo("owner-b:" + b.lease().epoch());
        // and B, the current owner, still writes
        store.commit(b.lease(), step("fresh answer"), Duration.ofSeconds(30)).await().atMost(WAIT);
        assertThat(query("select string_agg(type, ',' order by seq) from events"))
                .isEqualTo("user.message,assistant.message");
    }

    private static StepCommit step(String text) {
        NewEvent answer = new NewEvent(EventType.ASSISTANT_MESSAGE, JsonNodeFactory.instance.objectNode().put("text", text));
        return new StepCommit(List.of(answer), RunStatus.RUNNING, Usage.ZERO, true, Map.of(), null, null, null);
    }

    private static Throwable catchFailure(Runnable write) {
        try {
            write.run();
            return null;
        } catch (Throwable failure) {
            return failure;
        }
    }

    private String query(String sql) throws Exception {
        try (Connection connection = database.connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
