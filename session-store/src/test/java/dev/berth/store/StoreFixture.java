package dev.berth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.fake.internal.ChatRequestRules;
import dev.berth.model.fake.internal.Violation;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.Submission;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;

/**
 * A database of the test's own on the local PostgreSQL (test-support's {@link PostgresDatabase}),
 * migrated by Flyway as at a process start, with a tenant and an agent, the stores under test
 * on a reactive pool, and JDBC look-ups of what they wrote.
 */
final class StoreFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LEASE = Duration.ofSeconds(30);

    final PostgresDatabase database;
    final Vertx vertx;
    final PgPool pool;
    final PgRunStore runs;
    final PgTeamStore teams;
    final TenantId tenant = new TenantId(UUID.randomUUID());

    StoreFixture(int poolSize) {
        database = PostgresDatabase.create();
        Flyway.configure().dataSource(database.jdbcUrl(), "postgres", "").load().migrate();
        update("insert into tenants (id, name) values ('" + tenant + "', 't')");
        update("insert into agents (tenant_id, name, version, definition) values ('" + tenant + "', 'a', 1, '{}')");
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, PgConnectOptions.fromUri(database.url()).setUser("postgres"),
                new PoolOptions().setMaxSize(poolSize));
        runs = new PgRunStore(pool);
        teams = new PgTeamStore(pool);
    }

    StoreFixture() {
        this(4);
    }

    /** A new active session with this input policy. */
    UUID session(String policy) {
        UUID id = UUID.randomUUID();
        update("insert into sessions (id, tenant_id, agent_name, agent_version, actor_id, status, input_policy)"
                + " values ('" + id + "', '" + tenant + "', 'a', 1, 'actor', 'active', '" + policy + "')");
        return id;
    }

    Run submit(UUID session, String text) {
        return runs.submit(new Submission(tenant, session, UUID.randomUUID(),
                new NewEvent(EventType.USER_MESSAGE, DocumentJson.object().put("text", text)))).await().atMost(WAIT);
    }

    List<ClaimedRun> claim(String owner, Duration lease) {
        return runs.claim(owner, lease, 16).await().atMost(WAIT);
    }

    /** Claims until this run is among the claimed ones (a claim returns at most 16). */
    ClaimedRun claim(UUID runId) {
        return claim("owner", LEASE).stream().filter(c -> c.run().id().equals(runId)).findFirst()
                .orElseThrow(() -> new AssertionError("run " + runId + " was not claimed"));
    }

    /** Claims until every one of these runs is claimed (by one owner); in their order. */
    List<ClaimedRun> claimAll(List<UUID> runIds) {
        Map<UUID, ClaimedRun> claimed = new LinkedHashMap<>();
        until("runs " + runIds + " claimed", () -> {
            claim("owner", LEASE).forEach(run -> claimed.put(run.run().id(), run));
            return claimed.keySet().containsAll(runIds);
        });
        return runIds.stream().map(claimed::get).toList();
    }

    /** Commits the model's answer asking for these tool calls, which stay pending (attempt 0). */
    long askForTools(ClaimedRun claimed, String... callIds) {
        ObjectNode data = DocumentJson.object().put("text", "");
        ArrayNode calls = data.putArray("toolCalls");
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (String id : callIds) {
            calls.addObject().put("id", id).put("name", "lookup").put("arguments", "{}");
            pending.put(id, 0);
        }
        StepCommit step = StepCommit.to(RunStatus.RUNNING).event(new NewEvent(EventType.ASSISTANT_MESSAGE, data))
                .pending(pending).build();
        return runs.commit(claimed.lease(), step, LEASE).await().atMost(WAIT);
    }

    /** A run of the session that asked for these calls and now waits for the client's outputs (requires_action). */
    Run pausedRun(UUID session, String... callIds) {
        Run run = submit(session, "use the client's tools");
        ClaimedRun claimed = claim(run.id());
        askForTools(claimed, callIds);
        Map<String, Integer> pending = new LinkedHashMap<>();
        List<PendingAction> awaited = new ArrayList<>();
        for (String id : callIds) {
            pending.put(id, 0);
            awaited.add(PendingAction.unanswered(id, ActionKind.CLIENT_TOOL, "lookup", "{}"));
        }
        StepCommit pause = StepCommit.to(RunStatus.REQUIRES_ACTION)
                .event(new NewEvent(EventType.RUN_REQUIRES_ACTION, DocumentJson.object())).pending(pending).build();
        runs.pause(claimed.lease(), pause, awaited, LEASE).await().atMost(WAIT);
        return run;
    }

    static NewEvent answer(String text) {
        return new NewEvent(EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", text).put("final", true));
    }

    String status(UUID runId) {
        return query("select status from runs where id = '" + runId + "'");
    }

    String types(UUID session) {
        return query("select string_agg(type, ',' order by seq) from events where session_id = '" + session + "'");
    }

    /** The session's events in sequence order, as (type, payload). */
    List<Map.Entry<String, JsonNode>> events(UUID session) {
        List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
        try (Connection sql = database.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select type, payload::text from events where session_id = '" + session + "' order by seq")) {
            while (rows.next()) {
                events.add(Map.entry(rows.getString(1), DocumentJson.readObject(rows.getString(2))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    /**
     * What the strict fake would say of the session's log sent as it is, in sequence order, as
     * chat messages: null when a real endpoint would take it (every call answered before any
     * other message, no result without its call).
     */
    Violation conversationCheck(UUID session) {
        ObjectNode body = DocumentJson.object();
        ArrayNode messages = body.putArray("messages");
        for (Map.Entry<String, JsonNode> event : events(session)) {
            JsonNode data = event.getValue();
            switch (event.getKey()) {
                case EventType.USER_MESSAGE -> messages.addObject().put("role", "user").put("content", data.path("text").asText());
                case EventType.ASSISTANT_MESSAGE -> {
                    ObjectNode message = messages.addObject().put("role", "assistant").put("content", data.path("text").asText());
                    ArrayNode calls = message.putArray("tool_calls");
                    for (JsonNode call : data.path("toolCalls")) {
                        calls.addObject().put("id", call.path("id").asText()).put("type", "function")
                                .putObject("function").put("name", call.path("name").asText())
                                .put("arguments", call.path("arguments").asText());
                    }
                    if (calls.isEmpty()) {
                        message.remove("tool_calls");
                    }
                }
                case EventType.TOOL_RESULT -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", data.path("callId").asText()).put("content", data.path("output").asText());
                default -> {
                    // run.*, approval.*, subagent.*: not messages of the conversation
                }
            }
        }
        return ChatRequestRules.check(body);
    }

    String query(String sql) {
        try (Connection connection = database.connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(String sql) {
        try (Connection connection = database.connect()) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the condition holds, failing after {@link #WAIT}. */
    static void until(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        database.close();
    }
}
