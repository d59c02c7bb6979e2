package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.fuzz.DatabaseSnapshot;
import dev.berth.deploy.fuzz.Snapshots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of API keys through HTTP against real PostgreSQL: a listing shows a tenant its
 * own keys and no secret; only the operator tenant's admin keys create tenants; a revoked key is
 * refused at once by the process that revoked it (across processes: {@code KeyRevocationIT}).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class KeyLifecycleTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aListingShowsTheTenantsOwnKeysWithoutTheirSecrets() throws Exception {
        // Given a tenant with its admin key and two more keys, and another tenant with a key of its own
        Tenant mine = createTenant("list-" + tag());
        JsonNode member = createKey(mine.adminKey(), "member", false);
        JsonNode deputy = createKey(mine.adminKey(), "deputy", true);
        Tenant other = createTenant("other-" + tag());
        JsonNode foreign = createKey(other.adminKey(), "foreign", false);

        // When the tenant lists its keys
        String body = as(mine.adminKey()).get("/v1/api-keys").then().statusCode(200).extract().asString();
        List<JsonNode> listed = new ArrayList<>();
        JSON.readTree(body).path("items").forEach(listed::add);

        // Then it sees exactly its three keys, each with its prefix but not the key, and nothing of the other tenant
        assertThat(listed).extracting(k -> k.path("id").asText())
                .containsExactlyInAnyOrder(mine.adminKeyId(), member.path("id").asText(), deputy.path("id").asText());
        assertThat(listed).allSatisfy(key -> {
            assertThat(key.has("key")).isFalse();
            assertThat(key.path("tenantId").asText()).isEqualTo(mine.id());
            assertThat(key.path("prefix").asText()).isNotBlank();
        });
        for (String secret : List.of(mine.adminKey(), member.path("key").asText(), deputy.path("key").asText())) {
            assertThat(body).doesNotContain(secret).doesNotContain(secret.substring(0, secret.length() - 4));
        }
        for (String hash : keyHashes(mine.id())) {
            assertThat(body.toLowerCase()).doesNotContain(hash);
        }
        assertThat(body).doesNotContain(other.adminKeyId()).doesNotContain(foreign.path("id").asText())
                .doesNotContain(other.id());
        // and a key that is not an admin key may not list at all
        as(member.path("key").asText()).get("/v1/api-keys").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden"));
    }

    @Test
    void onlyTheOperatorsAdminKeysCreateTenantsAndARefusalWritesNothing() throws Exception {
        // Given an admin key of an ordinary tenant, and a key of the operator tenant that is not an admin key
        Tenant ordinary = createTenant("ordinary-" + tag());
        String operatorMember = createKey(BerthTestResource.ADMIN_KEY, "operator-member-" + tag(), false)
                .path("key").asText();
        DatabaseSnapshot before = Snapshots.atRest(null, Set.of());

        // When each tries to create a tenant
        for (String key : List.of(ordinary.adminKey(), operatorMember)) {
            as(key).body(Map.of("name", "sneaky-" + tag())).post("/v1/tenants").then()
                    .statusCode(403)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }

        // Then no table changed, row for row
        assertThat(Snapshots.changesSince(before, null, Set.of())).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceByTheProcessThatRevokedIt() throws Exception {
        // Given a key that works (and so is in this process's key cache)
        Tenant tenant = createTenant("revoke-" + tag());
        JsonNode key = createKey(tenant.adminKey(), "short-lived", false);
        as(key.path("key").asText()).get("/v1/sessions").then().statusCode(200);

        // When its tenant revokes it
        as(tenant.adminKey()).delete("/v1/api-keys/" + key.path("id").asText()).then().statusCode(204);

        // Then the next request with it is refused, the listing shows when it was revoked, and revoking again is a 404
        as(key.path("key").asText()).get("/v1/sessions").then().statusCode(401)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
        String listing = as(tenant.adminKey()).get("/v1/api-keys").then().statusCode(200).extract().asString();
        JsonNode revoked = null;
        for (JsonNode listed : JSON.readTree(listing).path("items")) {
            if (listed.path("id").asText().equals(key.path("id").asText())) {
                revoked = listed;
            }
        }
        assertThat(revoked).isNotNull();
        assertThat(revoked.path("revokedAt").asText()).isNotBlank();
        as(tenant.adminKey()).delete("/v1/api-keys/" + key.path("id").asText()).then().statusCode(404);
    }

    record Tenant(String id, String adminKey, String adminKeyId) {
    }

    private static Tenant createTenant(String name) throws Exception {
        JsonNode created = JSON.readTree(admin().body(Map.of("name", name)).post("/v1/tenants").then().statusCode(201)
                .extract().asString());
        return new Tenant(created.path("id").asText(), created.path("adminKey").path("key").asText(),
                created.path("adminKey").path("id").asText());
    }

    private static JsonNode createKey(String adminKey, String name, boolean isAdmin) throws Exception {
        return JSON.readTree(as(adminKey).body(Map.of("name", name, "admin", isAdmin)).post("/v1/api-keys").then()
                .statusCode(201).extract().asString());
    }

    /** The stored hashes of a tenant's keys, in hex, as a leak would most likely show them (and in base64). */
    private static List<String> keyHashes(String tenant) throws Exception {
        List<String> hashes = new ArrayList<>();
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.prepareStatement(
                "select key_hash from api_keys where tenant_id = ?::uuid")) {
            statement.setString(1, tenant);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    byte[] hash = rows.getBytes(1);
                    hashes.add(HexFormat.of().formatHex(hash));
                    hashes.add(java.util.Base64.getEncoder().encodeToString(hash).toLowerCase());
                }
            }
        }
        assertThat(hashes).isNotEmpty();
        return hashes;
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
