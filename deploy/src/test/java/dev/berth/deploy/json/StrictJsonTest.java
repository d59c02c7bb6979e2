package dev.berth.deploy.json;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.DatabaseSnapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are strict JSON: something after the value, a key given twice, a fraction or a
 * string for a number, or malformed UTF-8 is a 400 problem that writes nothing. (Each was accepted
 * before, and stored, or was a 500.) A PATCH of a memory cannot name fields it would ignore.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class StrictJsonTest {
    private String session;

    @BeforeEach
    void givenASession() {
        admin().body(Map.of("instructions", "You are strict.", "model", "test-model")).put("/v1/agents/strict")
                .then().statusCode(201);
        session = admin().body(Map.of("agent", "strict", "actorId", "sam")).post("/v1/sessions").then().statusCode(201)
                .extract().path("id");
    }

    @Test
    void contentAfterTheValueIsRefused() throws Exception {
        refused("/v1/sessions/" + session + "/messages", "{\"text\":\"hi\"}xyz", "malformed-json");
        refused("/v1/sessions/" + session + "/messages", "{\"text\":\"hi\"} {\"text\":\"again\"}", "validation");
        refused("/v1/tenants", "{\"name\":\"t\"}]", "malformed-json");
    }

    @Test
    void aKeyGivenTwiceIsRefused() throws Exception {
        refused("/v1/sessions/" + session + "/messages", "{\"text\":\"hi\",\"text\":\"other\"}", "malformed-json");
    }

    @Test
    void aFractionForAnIntegerIsRefusedByName() throws Exception {
        refused("/v1/sessions/" + session + "/upgrade", "{\"agentVersion\":1.5}", "validation")
                .body("errors.agentVersion", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aStringForANumberIsRefusedByName() throws Exception {
        // A string holding only a NUL was trimmed to "" and read as "no version": the session was upgraded.
        refused("/v1/sessions/" + session + "/upgrade", "{\"agentVersion\":\"\\u0000\"}", "validation")
                .body("errors.agentVersion", org.hamcrest.Matchers.notNullValue());
        refused("/v1/sessions/" + session + "/upgrade", "{\"agentVersion\":\"1\"}", "validation");
    }

    @Test
    void aPatchCannotMoveAMemoryAndIsRefusedRatherThanHalfApplied() throws Exception {
        String memory = admin().body(Map.of("namespace", "actors/sam", "kind", "fact", "content", "Likes tea."))
                .post("/v1/memories").then().statusCode(201).extract().path("id");
        refusedPatch("/v1/memories/" + memory, "{\"namespace\":\"actors/other\",\"content\":\"Likes coffee.\"}")
                .body("errors.namespace", org.hamcrest.Matchers.notNullValue());
        refusedPatch("/v1/memories/" + memory, "{\"kind\":\"preference\",\"content\":\"Likes coffee.\"}");
    }

    @Test
    void malformedUtf8IsRefused() throws Exception {
        // C1 81 is an overlong "A": Jackson decoded it, and the key was named "aA".
        byte[] overlongA = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xC1, (byte) 0x81, '"', '}'};
        refused("/v1/api-keys", overlongA, "malformed-json");
        // C0 80 is an overlong NUL, ED A0 80 an encoded surrogate: refused as bytes, before any decoding.
        byte[] overlongNul = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0x80, '"', '}'};
        refused("/v1/sessions/" + session + "/messages", overlongNul, "malformed-json");
        byte[] encodedSurrogate = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80,
                '"', '}'};
        refused("/v1/sessions/" + session + "/messages", encodedSurrogate, "malformed-json");
    }

    private ValidatableResponse refused(String path, String body, String type) throws Exception {
        return refused(path, body.getBytes(StandardCharsets.UTF_8), type);
    }

    private ValidatableResponse refused(String path, byte[] body, String type) throws Exception {
        DatabaseSnapshot before = snapshot();
        ValidatableResponse response = admin().body(body).post(path).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://berth.dev/problems/" + type));
        assertThat(before.differences(snapshot())).as("tables changed by " + path).isEmpty();
        return response;
    }

    private ValidatableResponse refusedPatch(String path, String body) throws Exception {
        DatabaseSnapshot before = snapshot();
        ValidatableResponse response = admin().body(body).patch(path).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://berth.dev/problems/validation"));
        assertThat(before.differences(snapshot())).as("tables changed by PATCH " + path).isEmpty();
        return response;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY)
                .header("Content-Type", "application/json");
    }

    private static DatabaseSnapshot snapshot() throws Exception {
        try (Connection connection = BerthTestResource.database().connect()) {
            return DatabaseSnapshot.take(connection, (UUID) null);
        }
    }
}
