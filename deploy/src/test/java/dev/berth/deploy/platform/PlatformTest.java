package dev.berth.deploy.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.TenantObjects;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The platform operator's API against real PostgreSQL (ADR 0034): a suspended tenant's run is
 * paused, not lost, and completes after resume; deletion removes the tenant's data; the operator
 * tenant is refused; each change leaves its audit row; tenants are listed page by page.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class PlatformTest {
    private static final String PLATFORM_KEY = "brp_platform_test_key_0123456789";
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunningRunOfASuspendedTenantDoesNotAdvanceAndCompletesAfterResume() throws Exception {
        // Given a tenant whose run is in the middle of a slow model call
        String tag = UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = tenant("paused-" + tag);
        String key = created.at("/adminKey/key").asText();
        String tenant = created.at("/adminKey/tenantId").asText();
        String agent = "slow-" + tag;
        String marker = "[agent:" + agent + "]";
        as(key).body(Map.of("instructions", "Be slow. " + marker, "model", "test-model")).put("/v1/agents/" + agent)
                .then().statusCode(201);
        BerthTestResource.fake().route(marker, new FakeReply.Text("before suspension", "stop", Duration.ofSeconds(3)),
                FakeReply.text("after resume"));
        String session = as(key).body(Map.of("agent", agent, "actorId", "u")).post("/v1/sessions").then()
                .statusCode(201).extract().path("id");
        String run = as(key).body(Map.of("text", "hello")).post("/v1/sessions/" + session + "/messages").then()
                .statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(sql("select status from runs where id = '"
                + run + "'")));

        // When the platform operator suspends the tenant
        platform().post("/v1/platform/tenants/" + tenant + "/suspend").then().statusCode(204);

        // Then its key gets 403 tenant-suspended, and the run does not advance past the model call in flight
        as(key).get("/v1/runs/" + run).then().statusCode(403).body("type", equalTo(PROBLEMS + "tenant-suspended"));
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() ->
                "running".equals(sql("select status from runs where id = '" + run + "'"))
                        && "0".equals(sql("select count(*) from events where session_id = '" + session
                                + "' and type = 'assistant.message'")));

        // When it is resumed, Then the run is taken over and completes with the next answer
        platform().post("/v1/platform/tenants/" + tenant + "/resume").then().statusCode(204);
        JsonNode done = JSON.readTree(as(key).get("/v1/runs/" + run + "?wait=30").then().statusCode(200).extract()
                .asString());
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output").asText()).isEqualTo("after resume");
        // and both changes are in the tenant's audit trail, by the platform key
        assertThat(sql("select string_agg(action || ' ' || principal, ',' order by id) from audit_log"
                + " where tenant_id = '" + tenant + "' and target_type = 'tenant'"))
                .isEqualTo("tenant.suspend platform:947effc66baf,tenant.resume platform:947effc66baf");
    }

    @Test
    void deletingATenantRemovesItsDataAndTheOperatorTenantCannotBeSuspendedOrDeleted() throws Exception {
        // Given a tenant with one of everything
        TenantObjects objects = TenantObjects.create("del" + UUID.randomUUID().toString().substring(0, 6));
        String tenant = objects.tenant().toString();
        assertThat(rowsOfTenant(tenant)).isPositive();

        // When the platform operator deletes it
        platform().delete("/v1/platform/tenants/" + tenant).then().statusCode(204);

        // Then nothing of it is left but its audit rows, its key is unknown, and a second delete is a 404
        assertThat(rowsOfTenant(tenant)).isZero();
        assertThat(sql("select count(*) from tenants where id = '" + tenant + "'")).isEqualTo("0");
        as(objects.key()).get("/v1/sessions").then().statusCode(401);
        platform().delete("/v1/platform/tenants/" + tenant).then().statusCode(404);
        assertThat(sql("select count(*) from audit_log where tenant_id = '" + tenant + "' and action = 'tenant.delete'"
                + " and principal like 'platform:%'")).isEqualTo("1");

        // and the operator tenant, the platform's own, is refused with 409, unchanged
        String operator = sql("select id from tenants where operator");
        platform().post("/v1/platform/tenants/" + operator + "/suspend").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "platform-tenant"));
        platform().delete("/v1/platform/tenants/" + operator).then().statusCode(409);
        assertThat(sql("select count(*) from tenants where operator and suspended_at is null")).isEqualTo("1");
        // and a malformed id is a 404, like an unknown one (Ids.parse)
        platform().post("/v1/platform/tenants/nope/suspend").then().statusCode(404);
        platform().post("/v1/platform/tenants/" + UUID.randomUUID() + "/resume").then().statusCode(404);
    }

    @Test
    void tenantsAreListedPageByPageToThePlatformKeyOnly() throws Exception {
        // Given three more tenants
        for (int i = 0; i < 3; i++) {
            tenant("listed-" + i + "-" + UUID.randomUUID().toString().substring(0, 6));
        }

        // When the platform operator lists them two at a time
        Set<String> seen = new HashSet<>();
        List<Boolean> own = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = platform().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = JSON.readTree(request.get("/v1/platform/tenants").then().statusCode(200).extract().asString());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            page.path("items").forEach(item -> {
                assertThat(seen.add(item.path("id").asText())).isTrue();
                own.add(item.path("platformOwn").asBoolean());
            });
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);

        // Then every tenant is there once, the operator tenant marked as the platform's own
        assertThat((long) seen.size()).isEqualTo(Long.parseLong(sql("select count(*) from tenants")));
        assertThat(own.stream().filter(b -> b).count()).isEqualTo(1);
        // and the operator tenant's admin key is refused (403), an unknown key too (401)
        as(BerthTestResource.ADMIN_KEY).get("/v1/platform/tenants").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        as("brp_not_a_platform_key").get("/v1/platform/tenants").then().statusCode(401);
    }

    /** Rows of the tenant in every table with a tenant_id, but the audit trail, which outlives it. */
    private static long rowsOfTenant(String tenant) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection sql = BerthTestResource.database().connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select table_name from information_schema.columns where column_name = 'tenant_id'"
                        + " and table_schema = 'public' and table_name <> 'audit_log'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertThat(tables).contains("sessions", "events", "runs", "api_keys", "agents", "memories");
        long total = 0;
        for (String table : tables) {
            total += Long.parseLong(sql("select count(*) from \"" + table + "\" where tenant_id = '" + tenant + "'"));
        }
        return total;
    }

    private static JsonNode tenant(String name) throws Exception {
        return JSON.readTree(as(BerthTestResource.ADMIN_KEY).body(Map.of("name", name)).post("/v1/tenants").then()
                .statusCode(201).extract().asString());
    }

    private static RequestSpecification platform() {
        return as(PLATFORM_KEY);
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static String sql(String query) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); ResultSet rows = sql.createStatement()
                .executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
