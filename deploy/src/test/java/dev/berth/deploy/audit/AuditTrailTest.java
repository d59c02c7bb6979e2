package dev.berth.deploy.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every controlled action a tenant can take over the API leaves its row in the audit trail, with
 * who did it, in which request, to what (ADR 0034); {@code GET /v1/audit} pages and filters them;
 * failed authentications are recorded, sampled.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private int requests;

    @Test
    void eachControlledActionLeavesItsRowWithPrincipalRequestIdTargetAndDigest() throws Exception {
        // Given a new tenant (created by the operator tenant's admin) and its admin key
        String tag = UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = read(as(BerthTestResource.ADMIN_KEY, "tenant").body(Map.of("name", "audit-" + tag))
                .post("/v1/tenants").then().statusCode(201).extract().asString());
        String tenant = created.at("/adminKey/tenantId").asText();
        String admin = created.at("/adminKey/key").asText();
        String adminId = "key:" + created.at("/adminKey/id").asText();
        String agent = "audited-" + tag;
        String actor = "actor-" + tag;

        // When it does each controlled action, each request with an id of its own
        JsonNode key = read(as(admin, "key-create").body(Map.of("name", "temp")).post("/v1/api-keys").then()
                .statusCode(201).extract().asString());
        as(admin, "key-revoke").delete("/v1/api-keys/" + key.path("id").asText()).then().statusCode(204);
        String marker = "[agent:" + agent + "]";
        as(admin, "agent").body(Map.of("instructions", "Audit me. " + marker, "model", "test-model",
                "tools", List.of("current_time"), "approvalRequired", List.of("current_time"),
                "clientTools", List.of(Map.of("name", "get_location", "description", "Where the user is.",
                        "parameters", Map.of("type", "object", "properties", Map.of())))))
                .put("/v1/agents/" + agent).then().statusCode(201);
        as(admin, "block-put").body(Map.of("content", "Formal.")).put("/v1/memory-blocks/tone?namespace=actors/" + actor)
                .then().statusCode(200);
        as(admin, "block-delete").delete("/v1/memory-blocks/tone?namespace=actors/" + actor).then().statusCode(204);
        String memory = read(as(admin, "memory-create").body(Map.of("namespace", "actors/" + actor, "kind", "fact",
                "key", "tea", "content", "Likes tea.")).post("/v1/memories").then().statusCode(201).extract().asString())
                .path("id").asText();
        as(admin, "memory-delete").delete("/v1/memories/" + memory).then().statusCode(204);

        BerthTestResource.fake().route(marker,
                FakeReply.toolCalls(new ToolCall("call_ok", "current_time", "{}")),
                FakeReply.toolCalls(new ToolCall("call_loc", "get_location", "{}")),
                FakeReply.text("Done."),
                FakeReply.toolCalls(new ToolCall("call_no", "current_time", "{}")),
                FakeReply.text("Not allowed."),
                FakeReply.toolCalls(new ToolCall("call_cancel", "current_time", "{}")));
        String session = read(as(admin, "session").body(Map.of("agent", agent, "actorId", actor)).post("/v1/sessions")
                .then().statusCode(201).extract().asString()).path("id").asText();
        String first = pausedRun(admin, session, "what time is it?");
        as(admin, "approve").body(Map.of("actions", List.of(Map.of("callId", "call_ok", "approve", true))))
                .post("/v1/runs/" + first + "/actions").then().statusCode(200);
        awaitStatus(admin, first, "requires_action");
        as(admin, "answer").body(Map.of("actions", List.of(Map.of("callId", "call_loc", "output", "Lyon"))))
                .post("/v1/runs/" + first + "/actions").then().statusCode(200);
        awaitStatus(admin, first, "completed");
        String second = pausedRun(admin, session, "and now?");
        as(admin, "deny").body(Map.of("actions", List.of(Map.of("callId", "call_no", "approve", false, "reason", "no"))))
                .post("/v1/runs/" + second + "/actions").then().statusCode(200);
        awaitStatus(admin, second, "completed");
        String third = pausedRun(admin, session, "once more");
        as(admin, "cancel").post("/v1/runs/" + third + "/cancel").then().statusCode(200);
        as(admin, "kill").post("/v1/sessions/" + session + "/kill").then().statusCode(200);
        as(admin, "reopen").post("/v1/sessions/" + session + "/reopen").then().statusCode(200);
        as(admin, "quotas").body(Map.of("liveSessions", 100)).put("/v1/quotas").then().statusCode(200);
        as(admin, "erase").delete("/v1/actors/" + actor).then().statusCode(200);

        // Then the tenant's trail holds one row for each, newest first, naming the admin key and the request
        List<JsonNode> rows = trail(admin, Map.of());
        List<String> seen = rows.stream().map(row -> row.path("requestId").asText() + " " + row.path("action").asText()
                + " " + row.at("/target/type").asText() + ":" + row.at("/target/id").asText()).toList();
        String run = "tool-call:";
        assertThat(seen).containsExactly(
                id("erase") + " actor.erase actor:" + actor,
                id("quotas") + " quota.change tenant:" + tenant,
                id("reopen") + " session.reopen session:" + session,
                id("kill") + " session.kill session:" + session,
                id("cancel") + " run.cancel run:" + third,
                id("deny") + " run.deny " + run + second + "/call_no",
                id("answer") + " run.tool-answer " + run + first + "/call_loc",
                id("approve") + " run.approve " + run + first + "/call_ok",
                id("memory-delete") + " memory.delete memory:" + memory,
                id("block-delete") + " memory-block.delete memory-block:actors/" + actor + "#tone",
                id("block-put") + " memory-block.put memory-block:actors/" + actor + "#tone",
                id("agent") + " agent.version agent:" + agent + "/1",
                id("key-revoke") + " key.revoke api-key:" + key.path("id").asText(),
                id("key-create") + " key.create api-key:" + key.path("id").asText());
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.path("principal").asText()).isEqualTo(adminId);
            assertThat(row.path("tenant").asText()).isEqualTo(tenant);
            assertThat(row.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(row.path("digest").asText()).matches("[0-9a-f]{64}");
        });
        // and the tenant's creation is in the operator tenant's trail, not in the new tenant's
        List<JsonNode> operator = trail(BerthTestResource.ADMIN_KEY, Map.of("action", "tenant.create",
                "targetId", tenant));
        assertThat(operator).singleElement().satisfies(row -> assertThat(row.path("requestId").asText())
                .isEqualTo(id("tenant")));
        // and the filters narrow it: by action, and by target
        assertThat(trail(admin, Map.of("action", "key.create"))).hasSize(1);
        assertThat(trail(admin, Map.of("targetType", "tool-call"))).hasSize(3);
        assertThat(trail(admin, Map.of("principal", "key:" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void theTrailIsPagedWithACursorAndBadFiltersAreProblems() throws Exception {
        // Given a tenant with its first key and five more created
        JsonNode created = read(as(BerthTestResource.ADMIN_KEY, "paged-tenant")
                .body(Map.of("name", "paged-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/v1/tenants").then().statusCode(201).extract().asString());
        String admin = created.at("/adminKey/key").asText();
        for (int i = 0; i < 5; i++) {
            as(admin, "paged-" + i).body(Map.of("name", "k" + i)).post("/v1/api-keys").then().statusCode(201);
        }

        // When it reads its trail two rows at a time
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = as(admin, "page").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = read(request.get("/v1/audit").then().statusCode(200).extract().asString());
            page.path("items").forEach(item -> seen.add(item.path("requestId").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);

        // Then it sees the five rows once each, newest first, in three pages
        assertThat(seen).containsExactly(id("paged-4"), id("paged-3"), id("paged-2"), id("paged-1"), id("paged-0"));
        assertThat(pages).isEqualTo(3);
        // and bad filters are 400 validation problems
        for (Map<String, String> bad : List.of(Map.of("action", "key.explode"), Map.of("from", "yesterday"),
                Map.of("cursor", "abc"), Map.of("limit", "0"))) {
            as(admin, "bad").queryParams(bad).get("/v1/audit").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void failedAuthenticationsAreRecordedAtMostFiveAMinuteFromOneAddress() throws Exception {
        // Given the suite's other 401s from this address may have spent this minute's five already
        Timestamp since = databaseNow();
        long recorded = 0;
        for (int attempt = 0; attempt < 2 && recorded == 0; attempt++) {
            if (attempt > 0) {
                Thread.sleep(61_000 - System.currentTimeMillis() % 60_000); // the next minute starts over
            }
            // When one address sends 20 requests with unknown keys
            for (int i = 0; i < 20; i++) {
                given().header("Authorization", "Bearer brt_" + UUID.randomUUID()).get("/v1/sessions").then()
                        .statusCode(401);
            }
            recorded = failedSince(since, "true");
        }

        // Then some are recorded, tenantless, refused, naming the address and the route
        assertThat(recorded).isPositive();
        assertThat(failedSince(since, "tenant_id is null and outcome = 'refused' and target_id = 'GET /v1/sessions'"))
                .isEqualTo(recorded);
        // and never more than five a minute from the address, whichever test sent them
        try (Connection sql = BerthTestResource.database().connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select coalesce(max(n), 0) from (select count(*) as n from audit_log where action = 'auth.failed'"
                        + " and principal = 'ip:127.0.0.1' group by date_trunc('minute', at)) m")) {
            rows.next();
            assertThat(rows.getLong(1)).isBetween(1L, 5L);
        }
    }

    private static Timestamp databaseNow() throws Exception {
        try (Connection sql = BerthTestResource.database().connect();
                ResultSet rows = sql.createStatement().executeQuery("select now()")) {
            rows.next();
            return rows.getTimestamp(1);
        }
    }

    /** Failed authentications from this address recorded since {@code since} that match {@code condition}. */
    private static long failedSince(Timestamp since, String condition) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); PreparedStatement query = sql.prepareStatement(
                "select count(*) from audit_log where action = 'auth.failed' and principal = 'ip:127.0.0.1'"
                        + " and at >= ? and " + condition)) {
            query.setTimestamp(1, since);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private String pausedRun(String key, String session, String text) throws Exception {
        String run = read(as(key, "send-" + text).body(Map.of("text", text))
                .post("/v1/sessions/" + session + "/messages?wait=30").then().extract().asString()).path("id").asText();
        awaitStatus(key, run, "requires_action");
        return run;
    }

    private void awaitStatus(String key, String run, String status) throws Exception {
        JsonNode read = read(as(key, "wait").get("/v1/runs/" + run + "?wait=30").then().statusCode(200).extract()
                .asString());
        for (int i = 0; i < 10 && !read.path("status").asText().equals(status); i++) {
            read = read(as(key, "wait").get("/v1/runs/" + run + "?wait=5").then().statusCode(200).extract().asString());
        }
        assertThat(read.path("status").asText()).isEqualTo(status);
    }

    private List<JsonNode> trail(String key, Map<String, String> filters) throws Exception {
        JsonNode page = read(as(key, "trail").queryParams(filters).queryParam("limit", 100).get("/v1/audit").then()
                .statusCode(200).extract().asString());
        List<JsonNode> rows = new ArrayList<>();
        page.path("items").forEach(rows::add);
        return rows;
    }

    private RequestSpecification as(String key, String name) {
        return given().header("Authorization", "Bearer " + key).header("X-Request-Id", id(name))
                .contentType(ContentType.JSON);
    }

    /** The request ids are unique to this test instance, so rows of other tests never match. */
    private final String prefix = "audit-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    private String id(String name) {
        return prefix + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static JsonNode read(String body) throws Exception {
        return JSON.readTree(body);
    }
}
