package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.auth.ApiKeys;
import dev.berth.deploy.fuzz.Snapshots;
import dev.berth.deploy.fuzz.TenantObjects;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API keys with roles, expiry and keyed hashes, through HTTP against real PostgreSQL: what a key is
 * created with and refused with, expiry, the rehash of keys stored before ADR 0028, the last admin
 * key, paged listings, and who opened a session and answered a run.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class KeyRolesTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKeyGetsItsRolesAndAPrefixMadeOfItsIdAndBadGrantsAreRefusedWithoutWriting() throws Exception {
        // Given a tenant
        String adminKey = tenant();

        // When it creates an operator + developer key, and an actor key
        JsonNode both = create(adminKey, Map.of("name", "ops", "roles", List.of("operator", "developer")));
        JsonNode actor = create(adminKey, Map.of("name", "alice", "roles", List.of("actor"), "actorId", "alice"));

        // Then each has its roles, and a prefix from its id that shares nothing with the key
        assertThat(both.path("roles").toString()).isEqualTo("[\"developer\",\"operator\"]");
        assertThat(actor.path("actorId").asText()).isEqualTo("alice");
        for (JsonNode key : List.of(both, actor)) {
            assertThat(key.path("prefix").asText())
                    .isEqualTo("brt_" + key.path("id").asText().replace("-", "").substring(0, 8));
            assertThat(key.path("key").asText().substring(4)).doesNotContain(key.path("prefix").asText().substring(4));
        }
        // and bad grants are 400 problems naming the field, and write nothing
        List<Map<String, Object>> bad = List.of(
                Map.of("name", "x", "roles", List.of("root")),
                Map.of("name", "x", "roles", List.of()),
                Map.of("name", "x", "roles", List.of("actor")),
                Map.of("name", "x", "roles", List.of("service"), "actorId", "bob"),
                Map.of("name", "x", "roles", List.of("actor", "service"), "actorId", "bob"),
                Map.of("name", "x", "roles", List.of("admin"), "admin", true),
                Map.of("name", "x", "expiresAt", "2020-01-01T00:00:00Z"));
        for (Map<String, Object> body : bad) {
            Snapshots.expectNothingWritten(() -> as(adminKey).body(body).post("/v1/api-keys").then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "validation")).body("$", hasKey("errors")));
        }
    }

    @Test
    void anExpiredKeyFailsAuthentication() throws Exception {
        // Given a key that expires tomorrow, moved into the past before its first use
        String adminKey = tenant();
        JsonNode key = create(adminKey, Map.of("name", "temp", "roles", List.of("service"),
                "expiresAt", Instant.now().plusSeconds(86_400).toString()));
        as(adminKey).get("/v1/api-keys").then().statusCode(200);
        sql("update api_keys set expires_at = now() - interval '1 second' where id = '" + key.path("id").asText() + "'");

        // When it is used, then it is refused as expired
        as(key.path("key").asText()).get("/v1/sessions").then().statusCode(401)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void aKeyStoredAsPlainSha256BeforeTheMigrationWorksAndIsRehashedOnFirstUse() throws Exception {
        // Given a key row as V1 stored it: the plain SHA-256 of the key
        String adminKey = tenant();
        String tenant = as(adminKey).get("/v1/api-keys").then().statusCode(200).extract().path("items[0].tenantId");
        String legacy = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        try (Connection sql = BerthTestResource.database().connect(); var insert = sql.prepareStatement(
                "insert into api_keys (id, tenant_id, name, key_hash, key_prefix, roles, hash_kind)"
                        + " values (?, ?::uuid, 'old', ?, 'brt_old', '{service}', 'sha256')")) {
            insert.setObject(1, id);
            insert.setString(2, tenant);
            insert.setBytes(3, ApiKeys.legacyHash(legacy));
            insert.executeUpdate();
        }

        // When it is used
        as(legacy).get("/v1/sessions").then().statusCode(200);

        // Then its row holds a keyed hash now, and no longer the plain one
        try (Connection sql = BerthTestResource.database().connect(); var read = sql.prepareStatement(
                "select hash_kind, key_hash from api_keys where id = ?")) {
            read.setObject(1, id);
            try (var rows = read.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("hmac-sha256");
                assertThat(rows.getBytes(2)).isNotEqualTo(ApiKeys.legacyHash(legacy));
            }
        }
    }

    @Test
    void theLastAdminKeyCannotBeRevokedAndTheRefusalWritesNothing() throws Exception {
        // Given a tenant whose only admin key is its first one (and a service key)
        String adminKey = tenant();
        create(adminKey, Map.of("name", "svc"));
        String ownId = as(adminKey).get("/v1/api-keys").then().statusCode(200).extract().path("items[0].id");

        // When it revokes itself, then it is refused, and nothing changes
        Snapshots.expectNothingWritten(() -> as(adminKey).delete("/v1/api-keys/" + ownId).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "last-admin")));
        as(adminKey).get("/v1/api-keys").then().statusCode(200);

        // and once a second admin key exists, the first can go
        String deputy = create(adminKey, Map.of("name", "deputy", "roles", List.of("admin"))).path("key").asText();
        as(deputy).delete("/v1/api-keys/" + ownId).then().statusCode(204);
    }

    @Test
    void keysAreListedPageByPage() throws Exception {
        // Given a tenant with its admin key and four more
        String adminKey = tenant();
        for (int i = 0; i < 4; i++) {
            create(adminKey, Map.of("name", "k" + i));
        }

        // When it lists them two at a time
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(adminKey).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = JSON.readTree(request.get("/v1/api-keys").then().statusCode(200).extract().asString());
            page.path("items").forEach(item -> assertThat(seen.add(item.path("id").asText())).isTrue());
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);

        // Then it sees all five once, in three pages; and a limit out of range is a 400
        assertThat(seen).hasSize(5);
        assertThat(pages).isEqualTo(3);
        as(adminKey).queryParam("limit", 0).get("/v1/api-keys").then().statusCode(400);
    }

    @Test
    void aSessionRemembersWhoOpenedItAndAnAnswerRecordsWhoGaveIt() throws Exception {
        // Given a tenant with a run paused for a client-side tool, a service key and an actor key
        TenantObjects objects = TenantObjects.create("by" + UUID.randomUUID().toString().substring(0, 6));
        JsonNode service = create(objects.key(), Map.of("name", "backend", "roles", List.of("service")));
        String actorId = objects.fields().get("actorId").asText();
        JsonNode actor = create(objects.key(), Map.of("name", "user", "roles", List.of("actor"), "actorId", actorId));
        String paused = objects.byCollection().get("runs").get(2);
        String session = objects.byCollection().get("sessions").getFirst();

        // When the service key answers the paused run, and the actor key opens a session without naming an actor
        as(service.path("key").asText()).body(Map.of("actions", List.of(Map.of("callId", "call_loc", "output", "Lyon"))))
                .post("/v1/runs/" + paused + "/actions").then().statusCode(200);
        JsonNode opened = JSON.readTree(as(actor.path("key").asText())
                .body(Map.of("agent", objects.fields().get("agent").asText())).post("/v1/sessions").then()
                .statusCode(201).extract().asString());

        // Then the answer's event names the service key, and the new session is the actor's, opened by its key
        String events = as(objects.key()).get("/v1/sessions/" + session + "/events").then().statusCode(200).extract()
                .asString();
        assertThat(events).contains("\"by\":\"key:" + service.path("id").asText() + "\"");
        assertThat(opened.path("actorId").asText()).isEqualTo(actorId);
        try (Connection sql = BerthTestResource.database().connect(); var read = sql.prepareStatement(
                "select opened_by from sessions where id = ?::uuid")) {
            read.setString(1, opened.path("id").asText());
            try (var rows = read.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("key:" + actor.path("id").asText());
            }
        }
    }

    private static String tenant() throws Exception {
        return JSON.readTree(admin().body(Map.of("name", "roles-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/v1/tenants").then().statusCode(201).extract().asString()).at("/adminKey/key").asText();
    }

    private static JsonNode create(String adminKey, Map<String, Object> body) throws Exception {
        return JSON.readTree(as(adminKey).body(body).post("/v1/api-keys").then().statusCode(201).extract().asString());
    }

    private static void sql(String statement) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var run = sql.createStatement()) {
            run.execute(statement);
        }
    }
}
