package dev.berth.deploy.input;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.Snapshots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates), anywhere in a body, a path, or a
 * query, and bodies nested or sized beyond the documented limits are a 400 problem naming the
 * field, and write nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class UnstorableInputTest {
    /** A JSON escape of NUL, as a client sends it (raw control characters are not valid JSON). */
    private static final String NUL = "\\u0000";
    private static final String LONE_SURROGATE = "\\ud800";

    private String session;

    @BeforeEach
    void givenAnAgentAndASession() {
        admin().body(Map.of("instructions", "Careful.", "model", "m")).put("/v1/agents/storable").then().statusCode(201);
        session = admin().body(Map.of("agent", "storable", "actorId", "erin")).post("/v1/sessions").then()
                .statusCode(201).extract().path("id");
    }

    @Test
    void nulInAnyBodyStringIsRefusedByPath() throws Exception {
        refused(() -> admin().body("{\"text\":\"hi" + NUL + "\"}").post("/v1/sessions/" + session + "/messages"),
                "text");
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a" + NUL + "\"}").post("/v1/sessions"),
                "actorId");
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":{\"a\":{\"b\":[1,\"x" + NUL
                + "\"]}}}").post("/v1/sessions"), "metadata.a.b[1]");
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":{\"k" + NUL + "\":1}}")
                .post("/v1/sessions"), "metadata.k\\u0000");
        refused(() -> admin().body("{\"instructions\":\"x" + NUL + "\",\"model\":\"m\"}").put("/v1/agents/storable"),
                "instructions");
        refused(() -> admin().body("{\"instructions\":\"x\",\"model\":\"m\",\"clientTools\":[{\"name\":\"t\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"p\":{\"description\":\"d" + NUL + "\"}}}}]}")
                .put("/v1/agents/storable"), "clientTools[0].parameters.properties.p.description");
        refused(() -> admin().body("{\"namespace\":\"actors/erin\",\"content\":\"c" + NUL + "\"}").post("/v1/memories"),
                "content");
        refused(() -> admin().body("{\"content\":\"c" + NUL + "\"}")
                .put("/v1/memory-blocks/persona?namespace=actors/erin"), "content");
        refused(() -> admin().body("{\"name\":\"n" + NUL + "\"}").post("/v1/api-keys"), "name");
        refused(() -> admin().body("{\"name\":\"n" + NUL + "\"}").post("/v1/tenants"), "name");
    }

    @Test
    void unpairedSurrogatesAreRefusedButPairsAreFine() throws Exception {
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":{\"m\":\"x" + LONE_SURROGATE
                + "\"}}").post("/v1/sessions"), "metadata.m");
        refused(() -> admin().body("{\"text\":\"" + LONE_SURROGATE + "\"}").post("/v1/sessions/" + session + "/messages"),
                "text");
        admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":{\"m\":\"\\ud83d\\ude00\"}}")
                .post("/v1/sessions").then().statusCode(201).body("metadata.m", equalTo("\uD83D\uDE00"));
    }

    @Test
    void nulInPathsAndQueriesIsRefusedByName() throws Exception {
        refused(() -> raw().get("/v1/sessions?actorId=a%00b"), "actorId");
        refused(() -> raw().delete("/v1/actors/a%00b"), "id");
        refused(() -> raw().get("/v1/memory-blocks?namespace=actors/a%00"), "namespace");
        refused(() -> raw().body("{\"content\":\"c\"}").put("/v1/memory-blocks/la%00bel?namespace=actors/erin"), "label");
        refused(() -> raw().body("{\"instructions\":\"x\",\"model\":\"m\"}").put("/v1/agents/a%00"), "name");
        refused(() -> raw().get("/v1/memories?namespace=actors/%00"), "namespace");
    }

    @Test
    void bodiesBeyondTheDocumentedLimitsAreRefusedByPath() throws Exception {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append("{\"n\":");
        }
        deep.append("1").append("}".repeat(40));
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":" + deep + "}")
                .post("/v1/sessions"), "metadata" + ".n".repeat(31));
        refused(() -> admin().body(Map.of("agent", "storable", "actorId", "a", "metadata",
                Map.of("big", "x".repeat(16_400)))).post("/v1/sessions"), "metadata");
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            properties.put("p" + i, Map.of("type", "string", "description", "d".repeat(80)));
        }
        refused(() -> admin().body(Map.of("instructions", "x", "model", "m", "clientTools", java.util.List.of(
                Map.of("name", "wide", "parameters", Map.of("type", "object", "properties", properties)))))
                .put("/v1/agents/storable"), "clientTools[0].parameters");
        refused(() -> admin().body(Map.of("instructions", "x".repeat(100_001), "model", "m")).put("/v1/agents/storable"),
                "instructions");
        refused(() -> admin().body(Map.of("agent", "storable", "actorId", "a\nb")).post("/v1/sessions"), "actorId");
        refused(() -> admin().body("{\"agent\":\"storable\",\"actorId\":\"a\",\"metadata\":{\"x\":1e400}}")
                .post("/v1/sessions"), "metadata.x");
    }

    private static void refused(Supplier<Response> request, String field) throws Exception {
        Snapshots.expectNothingWritten(() -> request.get().then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://berth.dev/problems/validation"))
                .body("errors", hasKey(field)));
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    /** Sends the path and query as written: {@code %00} reaches the server as is. */
    private static RequestSpecification raw() {
        return admin().urlEncodingEnabled(false);
    }
}
