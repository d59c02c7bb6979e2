package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets end to end through HTTP against real PostgreSQL and the fake model, which counts the
 * calls it gets (ADR 0032): a run is refused before the model call that would exceed a budget, the
 * refusal is {@code budget_exceeded} on the run, its event and a waiting client's problem, and the
 * session takes the next message. Each test has a tenant of its own, so its budgets touch no
 * other test.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class BudgetRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String key;
    private String tenantId;

    @BeforeEach
    void ownTenant() {
        BerthTestResource.fake().reset();
        var tenant = Api.admin().body(Map.of("name", "budget-" + UUID.randomUUID())).post("/v1/tenants").then()
                .statusCode(201).extract();
        key = tenant.path("adminKey.key");
        tenantId = tenant.path("id");
    }

    @Test
    void aRunOverTheTenantsCallBudgetFailsBeforeTheCallThatWouldExceedItAndTheSessionStaysUsable() throws Exception {
        // Given a tenant allowed 3 model calls a day, and a model that keeps calling a tool
        putBudgets(Map.of("tenant", Map.of("day", Map.of("calls", 3)))).then().statusCode(200);
        defineAgent("looper", Map.of("tools", List.of("current_time")));
        String session = Api.openSession(key, "looper", "ann");
        BerthTestResource.fake().enqueue(timeCall("t1"), timeCall("t2"), timeCall("t3"), timeCall("t4"));

        // When a message is sent and waited for
        Response answer = Api.as(key).body(Map.of("text", "Loop")).post("/v1/sessions/" + session + "/messages?wait=30");

        // Then the waiting client gets the budget problem, pointing at the run
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getString("type")).isEqualTo("https://berth.dev/problems/budget-exceeded");
        String runPath = answer.header("Location");
        JsonNode run = JSON.readTree(Api.as(key).get(runPath.substring(runPath.indexOf("/v1/"))).then()
                .statusCode(200).extract().asString());
        // and the run failed with budget_exceeded after exactly 3 model calls: the fake saw no fourth
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(run.path("modelCalls").asInt()).isEqualTo(3);
        assertThat(BerthTestResource.fake().requests()).hasSize(3);
        assertThat(BerthTestResource.fake().pendingReplies()).isEqualTo(1);
        assertThat(eventsOfType(session, "run.failed").getLast().path("data").path("code").asText())
                .isEqualTo("budget_exceeded");

        // When the session gets another message while the budget is spent: refused with no model call
        JsonNode refused = settled(Api.send(key, session, "Again", 0).statusCode(202).extract().path("id"));
        assertThat(refused.path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(BerthTestResource.fake().requests()).hasSize(3);

        // When the admin raises the budget and the session gets a third message
        putBudgets(Map.of("tenant", Map.of("day", Map.of("calls", 10)))).then().statusCode(200);
        BerthTestResource.fake().reset();
        BerthTestResource.fake().enqueue(FakeReply.text("Back in budget."));
        JsonNode third = settled(Api.send(key, session, "Now?", 0).statusCode(202).extract().path("id"));

        // Then that run completes in the same session
        assertThat(third.path("status").asText()).isEqualTo("completed");
        assertThat(third.path("output").asText()).isEqualTo("Back in budget.");
    }

    @Test
    void aTenantDayTokenBudgetCountsAcrossRuns() throws Exception {
        // Given a run that spent some tokens
        defineAgent("talker", Map.of());
        String session = Api.openSession(key, "talker", "bea");
        BerthTestResource.fake().enqueue(FakeReply.text("one"), FakeReply.text("two"));
        JsonNode first = settled(Api.send(key, session, "First", 0).statusCode(202).extract().path("id"));
        long spent = first.path("usage").path("inputTokens").asLong() + first.path("usage").path("outputTokens").asLong();
        assertThat(spent).isPositive();

        // When the tenant's day budget is set to exactly what was spent, and another session sends a message
        putBudgets(Map.of("tenant", Map.of("day", Map.of("tokens", spent)))).then().statusCode(200);
        String other = Api.openSession(key, "talker", "cid");
        JsonNode second = settled(Api.send(key, other, "Second", 0).statusCode(202).extract().path("id"));

        // Then the second run is refused before its first model call
        assertThat(second.path("status").asText()).isEqualTo("failed");
        assertThat(second.path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(second.path("modelCalls").asInt()).isZero();
        assertThat(BerthTestResource.fake().requests()).hasSize(1);
    }

    @Test
    void anAgentsMaxRunTokensFailsTheRunBeforeACallWhoseRequestWouldPassIt() throws Exception {
        // Given an agent whose runs may spend 1 token (less than any request), and a model ready to answer
        defineAgent("thrifty", Map.of("tools", List.of("current_time"), "limits", Map.of("maxRunTokens", 1)));
        JsonNode agent = JSON.readTree(Api.as(key).get("/v1/agents/thrifty").then().statusCode(200).extract().asString());
        assertThat(agent.path("limits").path("maxRunTokens").asLong()).isEqualTo(1);
        String session = Api.openSession(key, "thrifty", "dan");
        BerthTestResource.fake().enqueue(timeCall("t1"), FakeReply.text("never asked for"));

        // When a message is sent
        JsonNode run = settled(Api.send(key, session, "Go", 0).statusCode(202).extract().path("id"));

        // Then no call was made: the request counted before sending it would pass the limit
        assertThat(run.path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(run.path("error").path("message").asText()).contains("its next model call may spend");
        assertThat(run.path("modelCalls").asInt()).isZero();
        assertThat(BerthTestResource.fake().requests()).isEmpty();
        assertThat(BerthTestResource.fake().pendingReplies()).isEqualTo(2);
        // and a limit below 1 is refused
        Map<String, Object> bad = agentBody(Map.of("limits", Map.of("maxRunTokens", 0)));
        Api.as(key).body(bad).put("/v1/agents/thrifty").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void usageGroupsMatchTheRunsTokensAndBadParametersAreProblems() throws Exception {
        // Given two runs of two agents for two actors
        defineAgent("alpha", Map.of());
        defineAgent("beta", Map.of());
        BerthTestResource.fake().enqueue(FakeReply.text("a"), FakeReply.text("b"));
        JsonNode a = settled(Api.send(key, Api.openSession(key, "alpha", "eve"), "Hi", 0).statusCode(202)
                .extract().path("id"));
        JsonNode b = settled(Api.send(key, Api.openSession(key, "beta", "fay"), "Hi", 0).statusCode(202)
                .extract().path("id"));

        // When usage is asked by agent, by actor and by day
        JsonNode byAgent = usage("agent");
        JsonNode byActor = usage("actor");
        JsonNode byDay = usage("day");

        // Then each group holds its run's tokens and calls, and the day holds both
        assertThat(byAgent.path("items")).hasSize(2);
        assertThat(byAgent.path("items").get(0).path("key").asText()).isEqualTo("alpha");
        assertThat(byAgent.path("items").get(0).path("tokens").asLong()).isEqualTo(tokens(a));
        assertThat(byAgent.path("items").get(1).path("tokens").asLong()).isEqualTo(tokens(b));
        assertThat(byActor.path("items").get(1).path("key").asText()).isEqualTo("fay");
        assertThat(byActor.path("items").get(1).path("modelCalls").asLong()).isEqualTo(1);
        assertThat(byDay.path("items")).hasSize(1);
        assertThat(byDay.path("items").get(0).path("tokens").asLong()).isEqualTo(tokens(a) + tokens(b));
        assertThat(byDay.path("items").get(0).path("runs").asLong()).isEqualTo(2);

        // And a bad groupBy, a bad range or a bad budget is a 400 problem that changes nothing
        Api.as(key).get("/v1/usage?groupBy=model").then().statusCode(400).contentType("application/problem+json");
        Api.as(key).get("/v1/usage?groupBy=day&from=2026-12-07&to=2026-12-01").then().statusCode(400);
        putBudgets(Map.of("tenant", Map.of("day", Map.of("tokens", 5)))).then().statusCode(200);
        putBudgets(Map.of("agent", Map.of("month", Map.of("calls", -1)))).then().statusCode(400)
                .contentType("application/problem+json");
        JsonNode budgets = JSON.readTree(Api.as(key).get("/v1/budgets").then().statusCode(200).extract().asString());
        assertThat(budgets.path("set").path("tenant").path("day").path("tokens").asLong()).isEqualTo(5);
        assertThat(budgets.path("set").path("agent").path("month").path("calls").isNull()).isTrue();
        assertThat(budgets.path("effective").path("tenant").path("day").path("tokens").asLong()).isEqualTo(5);
        // and the accepted change, not the refused one, is in the audit trail with the request's id
        assertThat(auditedBudgetChanges()).isEqualTo(1);
    }

    private long auditedBudgetChanges() throws Exception {
        try (var sql = BerthTestResource.database().connect(); var rows = sql.createStatement().executeQuery(
                "select count(*) from audit_log where action = 'budget.change' and request_id is not null"
                        + " and tenant_id = '" + tenantId + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Response putBudgets(Map<String, Object> body) {
        return Api.as(key).body(body).put("/v1/budgets");
    }

    private JsonNode usage(String groupBy) throws Exception {
        return JSON.readTree(Api.as(key).get("/v1/usage?groupBy=" + groupBy).then().statusCode(200).extract().asString());
    }

    private static long tokens(JsonNode run) {
        return run.path("usage").path("inputTokens").asLong() + run.path("usage").path("outputTokens").asLong();
    }

    private static FakeReply timeCall(String id) {
        return new FakeReply.ToolCalls(List.of(new ToolCall(id, "current_time", "{\"timeZone\":\"UTC\"}")), null);
    }

    private void defineAgent(String name, Map<String, Object> extra) {
        Api.as(key).body(agentBody(extra)).put("/v1/agents/" + name).then().statusCode(201);
    }

    private static Map<String, Object> agentBody(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("instructions", "You are a test agent.", "model", "test-model"));
        body.putAll(extra);
        return body;
    }

    /** The run once it is neither queued nor running. */
    private JsonNode settled(String runId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(Api.as(key).get("/v1/runs/" + runId).then().statusCode(200).extract().asString()),
                        body -> !List.of("queued", "running", "waiting").contains(body.path("status").asText()));
    }

    private List<JsonNode> eventsOfType(String session, String type) throws Exception {
        JsonNode page = JSON.readTree(Api.as(key).get("/v1/sessions/" + session + "/events?limit=500")
                .then().statusCode(200).extract().asString());
        List<JsonNode> events = new ArrayList<>();
        page.path("items").forEach(e -> {
            if (type.equals(e.path("type").asText())) {
                events.add(e);
            }
        });
        return events;
    }
}
