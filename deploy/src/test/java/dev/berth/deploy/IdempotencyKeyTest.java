package dev.berth.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.fuzz.Snapshots;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Idempotency-Key} header on every creating route (ADR 0024): a retry of the same
 * request gets the original answer (status, ids) marked {@code Idempotent-Replayed: true} and
 * writes nothing (every table compared, {@link Snapshots#expectNothingWritten}); the same key with
 * another request is a 422 that writes nothing; two requests with one key at once make one effect.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class IdempotencyKeyTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";

    private String session;

    @BeforeEach
    void givenAnAgentAndASession() {
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "keyed", "current_time");
        session = Api.openSession(BerthTestResource.ADMIN_KEY, "keyed", "kim");
    }

    /** A creating request: how to send it with a key, and with another body under the same key. */
    private record Route(String name, String method, String path, Object body, Object otherBody, int status) {
    }

    private List<Route> routes() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        return List.of(
                new Route("open a session", "POST", "/v1/sessions", Map.of("agent", "keyed", "actorId", "kim"),
                        Map.of("agent", "keyed", "actorId", "lee"), 201),
                new Route("send a message", "POST", "/v1/sessions/" + session + "/messages", Map.of("text", "hello"),
                        Map.of("text", "hello!"), 202),
                new Route("create a memory", "POST", "/v1/memories",
                        Map.of("namespace", "actors/kim", "content", "Kim likes tea."),
                        Map.of("namespace", "actors/kim", "content", "Kim likes coffee."), 201),
                new Route("put a memory block", "PUT", "/v1/memory-blocks/style-" + unique + "?namespace=actors/kim",
                        Map.of("content", "Be brief."), Map.of("content", "Be verbose."), 200),
                new Route("define an agent", "PUT", "/v1/agents/keyed-" + unique,
                        Map.of("instructions", "One.", "model", "test-model"),
                        Map.of("instructions", "Two.", "model", "test-model"), 201));
    }

    @Test
    void aRetryWithTheSameKeyGetsTheOriginalAnswerAndWritesNothing() throws Exception {
        // Given each request made once with a key
        List<Route> routes = routes();
        Map<Route, String> keys = new java.util.LinkedHashMap<>();
        Map<Route, Response> firsts = new java.util.LinkedHashMap<>();
        for (Route route : routes) {
            keys.put(route, "retry-" + UUID.randomUUID());
            Response first = send(route, keys.get(route), route.body());
            assertThat(first.statusCode()).as(route.name() + ": " + first.asString()).isEqualTo(route.status());
            assertThat(first.header("Idempotent-Replayed")).as(route.name()).isNull();
            firsts.put(route, first);
        }

        // When each is sent again with its key, and with another body under its key, Then no table changes
        Snapshots.expectNothingWritten(() -> {
            for (Route route : routes) {
                Response first = firsts.get(route);
                // the retry gets the first answer, marked as a replay
                Response again = send(route, keys.get(route), route.body());
                assertThat(again.statusCode()).as(route.name() + ": " + again.asString()).isEqualTo(route.status());
                assertThat(again.header("Idempotent-Replayed")).as(route.name()).isEqualTo("true");
                assertThat(again.header("Location")).as(route.name()).isEqualTo(first.header("Location"));
                if (route.name().equals("send a message")) {
                    // The same run, in the state it is in now
                    assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
                } else {
                    assertThat(again.jsonPath().getMap("$")).as(route.name()).isEqualTo(first.jsonPath().getMap("$"));
                }
                // and the same key with another body is a 422 problem
                assertProblem(send(route, keys.get(route), route.otherBody()), 422, "idempotency-key-reused");
            }
            return null;
        });
    }

    @Test
    void aRetryOfAWaitingMessageWaitsOnTheSameRun() throws Exception {
        // Given a message sent with a key and ?wait, answered once its run settled
        String key = "wait-" + UUID.randomUUID();
        Response first = keyed(key).body(Map.of("text", "what time is it?"))
                .post("/v1/sessions/" + session + "/messages?wait=30");
        assertThat(first.statusCode()).isEqualTo(200);

        // When it is retried with another wait, Then the same settled run, and nothing written
        Response again = Snapshots.expectNothingWritten(() -> keyed(key).body(Map.of("text", "what time is it?"))
                .post("/v1/sessions/" + session + "/messages?wait=5"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.jsonPath().getMap("$")).isEqualTo(first.jsonPath().getMap("$"));
        assertThat(userMessages(session)).isEqualTo(1);
    }

    @Test
    void answersToAPausedRunAreAppliedOnce() throws Exception {
        // Given a run paused for a client-side tool
        Api.admin().body(Map.of("instructions", "You ask the device.", "model", "test-model", "clientTools",
                List.of(Map.of("name", "get_location", "parameters", Map.of("type", "object")))))
                .put("/v1/agents/device").then().statusCode(201);
        String paused = Api.openSession(BerthTestResource.ADMIN_KEY, "device", "kim");
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_loc", "get_location", "{}")),
                null), FakeReply.text("You are in Lyon."));
        String run = Api.send(BerthTestResource.ADMIN_KEY, paused, "Where am I?", 30).statusCode(200)
                .extract().path("id");
        Map<String, Object> answers = Map.of("actions", List.of(Map.of("callId", "call_loc", "output", "Lyon")));
        String key = "answer-" + UUID.randomUUID();
        Response first = keyed(key).body(answers).post("/v1/runs/" + run + "/actions");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);

        // When the answers are sent again with the key, Then the run, not a conflict, and nothing written
        Response again = Snapshots.expectNothingWritten(() -> keyed(key).body(answers).post("/v1/runs/" + run + "/actions"));
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.jsonPath().getString("id")).isEqualTo(run);
        // (without the key, the same answers are refused: the run waits for nothing any more)
        assertProblem(Api.admin().body(answers).post("/v1/runs/" + run + "/actions"), 409, "run-not-waiting");
    }

    @Test
    void aRetryOfARequestThatShowedASecretCreatesNothingAndNamesWhatWasCreated() throws Exception {
        String key = "secret-" + UUID.randomUUID();
        Response created = keyed(key).body(Map.of("name", "ci")).post("/v1/api-keys");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.jsonPath().getString("id");

        Response again = Snapshots.expectNothingWritten(() -> keyed(key).body(Map.of("name", "ci")).post("/v1/api-keys"));
        assertProblem(again, 409, "secret-shown-once");
        assertThat(again.jsonPath().getString("detail")).contains(id);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(Snapshots.expectNothingWritten(() -> keyed(key).body(Map.of("name", "cd")).post("/v1/api-keys")),
                422, "idempotency-key-reused");

        String tenantKey = "tenant-" + UUID.randomUUID();
        Response tenant = keyed(tenantKey).body(Map.of("name", "acme")).post("/v1/tenants");
        assertThat(tenant.statusCode()).isEqualTo(201);
        Response tenantAgain = Snapshots.expectNothingWritten(() -> keyed(tenantKey).body(Map.of("name", "acme"))
                .post("/v1/tenants"));
        assertProblem(tenantAgain, 409, "secret-shown-once");
        assertThat(tenantAgain.jsonPath().getString("detail")).contains(tenant.jsonPath().getString("id"));
    }

    @Test
    void keysArePerTenant() {
        // Given a key used by one tenant
        String key = "shared-" + UUID.randomUUID();
        String mine = keyed(key).body(Map.of("agent", "keyed", "actorId", "kim")).post("/v1/sessions").then()
                .statusCode(201).extract().path("id");
        String otherAdmin = Api.admin().body(Map.of("name", "other")).post("/v1/tenants").then().statusCode(201)
                .extract().path("adminKey.key");
        Api.defineAgent(otherAdmin, "keyed");

        // When another tenant sends the same key, Then it is a new request of its own
        Response theirs = given().header("Authorization", "Bearer " + otherAdmin).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Map.of("agent", "keyed", "actorId", "kim")).post("/v1/sessions");
        assertThat(theirs.statusCode()).isEqualTo(201);
        assertThat(theirs.header("Idempotent-Replayed")).isNull();
        assertThat(theirs.jsonPath().getString("id")).isNotEqualTo(mine);
    }

    @Test
    void twoRequestsWithOneKeyAtOnceMakeOneEffect() throws Exception {
        for (Route route : routes()) {
            String key = "race-" + UUID.randomUUID();
            CyclicBarrier start = new CyclicBarrier(2);
            Supplier<Response> racer = () -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return send(route, key, route.body());
            };
            CompletableFuture<Response> one = CompletableFuture.supplyAsync(racer);
            CompletableFuture<Response> two = CompletableFuture.supplyAsync(racer);
            Response a = one.get();
            Response b = two.get();
            assertThat(List.of(a.statusCode(), b.statusCode())).as(route.name() + ": " + a.asString() + " / " + b.asString())
                    .containsOnly(route.status());
            assertThat(java.util.stream.Stream.of(a, b).filter(r -> "true".equals(r.header("Idempotent-Replayed"))))
                    .as(route.name() + ": exactly one replay").hasSize(1);
            assertThat(a.header("Location")).as(route.name()).isEqualTo(b.header("Location"));
            if (route.name().equals("send a message")) {
                assertThat(a.jsonPath().getString("id")).isEqualTo(b.jsonPath().getString("id"));
            } else {
                assertThat(a.jsonPath().getMap("$")).as(route.name()).isEqualTo(b.jsonPath().getMap("$"));
            }
        }
        assertThat(userMessages(session)).as("input events of the raced message").isEqualTo(1);
    }

    @Test
    void aRequestWaitsForOneInFlightWithItsKeyThenGivesUpWithRetryAfter() throws Exception {
        String key = "held-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("agent", "keyed", "actorId", "kim");
        try (Connection sql = BerthTestResource.database().connect()) {
            // Given a request with the key still in flight: its transaction holds the key
            sql.setAutoCommit(false);
            claim(sql, key);

            // When the same key comes meanwhile, Then it waits (berth.api.idempotency-wait, 2 s here) and gives up
            long started = System.nanoTime();
            Response busy = Snapshots.expectNothingWritten(() -> keyed(key).body(body).post("/v1/sessions"));
            assertProblem(busy, 409, "request-in-progress");
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

            // When the request in flight ends while another waits for it, Then the waiting one answers from it
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> keyed(key).body(body).post("/v1/sessions"));
            awaitWaiter();
            sql.commit();
            assertProblem(waiting.get(), 422, "idempotency-key-reused");
        }
    }

    @Test
    void malformedKeysAreRefusedAndWriteNothing() throws Exception {
        Snapshots.expectNothingWritten(() -> {
            for (String bad : List.of("", "   ", "k".repeat(256), "tab\there", "caf\u00e9")) {
                Response refused = keyed(bad).body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages");
                assertProblem(refused, 400, "validation");
                assertThat(refused.jsonPath().getMap("errors")).as("'%s'", bad).containsKey("Idempotency-Key");
            }
            Response twice = Api.admin().header("Idempotency-Key", "one").header("Idempotency-Key", "two")
                    .body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages");
            assertProblem(twice, 400, "validation");
            return null;
        });
        // The longest key, and one quoted as an IETF structured-field string, are taken
        keyed("k".repeat(255)).body(Map.of("agent", "keyed", "actorId", "kim")).post("/v1/sessions").then().statusCode(201);
        String quoted = "quoted-" + UUID.randomUUID();
        String id = keyed(quoted).body(Map.of("agent", "keyed", "actorId", "kim")).post("/v1/sessions").then()
                .statusCode(201).extract().path("id");
        keyed("\"" + quoted + "\"").body(Map.of("agent", "keyed", "actorId", "kim")).post("/v1/sessions").then()
                .statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(Api.admin().get("/v1/sessions/" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredKeyIsSweptAndThenCreatesAnew() throws Exception {
        // Given a key used once, then past its expiry
        String key = "expiring-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("agent", "keyed", "actorId", "kim");
        String first = keyed(key).body(body).post("/v1/sessions").then().statusCode(201).extract().path("id");
        try (Connection sql = BerthTestResource.database().connect();
                PreparedStatement expire = sql.prepareStatement(
                        "update idempotency_keys set expires_at = now() - interval '1 second' where key = ?")) {
            expire.setString(1, key);
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }

        // Then the sweeper deletes it (berth.engine.sweep-interval, 1 s here)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> keyRows(key) == 0);

        // and the same key and request create a new session
        Response again = keyed(key).body(body).post("/v1/sessions");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(again.jsonPath().getString("id")).isNotEqualTo(first);
    }

    private static Response send(Route route, String key, Object body) {
        return keyed(key).body(body).request(route.method(), route.path());
    }

    private static io.restassured.specification.RequestSpecification keyed(String key) {
        return Api.admin().header("Idempotency-Key", key);
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo(PROBLEMS + type);
    }

    private static void claim(Connection sql, String key) throws SQLException {
        try (PreparedStatement insert = sql.prepareStatement("insert into idempotency_keys (tenant_id, key, fingerprint,"
                + " kind, resource, expires_at) select id, ?, 'another request', 'session', null, now() + interval '1 hour'"
                + " from tenants where operator")) {
            insert.setString(1, key);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    /** Until a backend waits for the test's transaction (the request with the held key). */
    private static void awaitWaiter() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection sql = BerthTestResource.database().connect(); ResultSet rows = sql.createStatement()
                    .executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        });
    }

    private static long keyRows(String key) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect();
                PreparedStatement count = sql.prepareStatement("select count(*) from idempotency_keys where key = ?")) {
            count.setString(1, key);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long userMessages(String session) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect();
                PreparedStatement count = sql.prepareStatement(
                        "select count(*) from events where session_id = ?::uuid and type = 'user.message'")) {
            count.setString(1, session);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
