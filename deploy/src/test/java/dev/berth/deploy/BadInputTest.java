package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.fuzz.Snapshots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client mistakes get a 4xx {@code application/problem+json} with a stable type, and write
 * nothing: every test compares every table of the schema, by row count and content hash,
 * before and after ({@link Snapshots#expectNothingWritten}).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class BadInputTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";

    private String session;

    @BeforeEach
    void givenAnAgentAndASession() {
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "careful", "current_time");
        session = Api.openSession(BerthTestResource.ADMIN_KEY, "careful", "dave");
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        assertNothingWritten(() -> admin().body("{\"instructions\": \"x\", ").put("/v1/agents/careful").then(),
                400, "malformed-json");
    }

    @Test
    void unknownFieldsAreRefusedByName() throws Exception {
        ValidatableResponse response = assertNothingWritten(() -> admin()
                .body(Map.of("instruction", "typo", "model", "m")).put("/v1/agents/careful").then(), 400, "validation");
        response.body("errors", hasKey("instruction"));
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        assertNothingWritten(() -> admin().body(Map.of("model", "m")).put("/v1/agents/careful").then(), 400,
                "validation").body("errors", hasKey("instructions"));
        assertNothingWritten(() -> admin().body(Map.of("agent", "careful")).post("/v1/sessions").then(), 400,
                "validation").body("errors", hasKey("actorId"));
        assertNothingWritten(() -> admin().body(Map.of()).post("/v1/sessions/" + session + "/messages").then(), 400,
                "validation").body("errors", hasKey("text"));
    }

    @Test
    void invalidValuesAreNamed() throws Exception {
        assertNothingWritten(() -> admin().body(Map.of("instructions", "x", "model", "m", "tools", new String[] {"nope"}))
                .put("/v1/agents/careful").then(), 400, "validation").body("errors", hasKey("tools[0]"));
        assertNothingWritten(() -> admin().body(Map.of("instructions", "x", "model", "m", "limits", Map.of("maxSteps", 0)))
                .put("/v1/agents/careful").then(), 400, "validation").body("errors", hasKey("limits"));
        assertNothingWritten(() -> admin().body(Map.of("agent", "careful", "actorId", "a", "inputPolicy", "sometimes"))
                .post("/v1/sessions").then(), 400, "validation").body("errors", hasKey("inputPolicy"));
    }

    @Test
    void unknownAgentsSessionsAndRunsAreNotFound() throws Exception {
        assertNothingWritten(() -> admin().body(Map.of("agent", "ghost", "actorId", "a")).post("/v1/sessions").then(),
                404, "not-found");
        assertNothingWritten(() -> admin().body(Map.of("text", "hi"))
                .post("/v1/sessions/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60/messages").then(), 404, "not-found");
        assertNothingWritten(() -> admin().body(Map.of("text", "hi")).post("/v1/sessions/not-a-uuid/messages").then(),
                404, "not-found");
        assertNothingWritten(() -> admin().get("/v1/runs/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60").then(), 404, "not-found");
        assertNothingWritten(() -> admin().get("/v1/agents/ghost").then(), 404, "not-found");
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        String huge = "x".repeat(1_100_000);
        assertNothingWritten(() -> admin().body(Map.of("text", huge)).post("/v1/sessions/" + session + "/messages").then(),
                413, "payload-too-large");
    }

    @Test
    void missingOrWrongKeysAreUnauthorized() throws Exception {
        assertNothingWritten(() -> given().contentType(ContentType.JSON).body(Map.of("text", "hi"))
                .post("/v1/sessions/" + session + "/messages").then(), 401, "unauthorized");
        assertNothingWritten(() -> as("brt_wrong").body(Map.of("text", "hi"))
                .post("/v1/sessions/" + session + "/messages").then(), 401, "unauthorized");
    }

    @Test
    void anotherTenantsSessionLooksMissing() throws Exception {
        // Given a second tenant with its own admin key
        String otherKey = admin().body(Map.of("name", "other")).post("/v1/tenants").then().statusCode(201)
                .extract().path("adminKey.key");

        // When it reads, writes to and deletes the first tenant's session, and reads its agent
        assertNothingWritten(() -> as(otherKey).get("/v1/sessions/" + session).then(), 404, "not-found");
        assertNothingWritten(() -> as(otherKey).body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages")
                .then(), 404, "not-found");
        assertNothingWritten(() -> as(otherKey).delete("/v1/sessions/" + session).then(), 404, "not-found");
        assertNothingWritten(() -> as(otherKey).get("/v1/sessions/" + session + "/events").then(), 404, "not-found");
        assertNothingWritten(() -> as(otherKey).get("/v1/agents/careful").then(), 404, "not-found");

        // Then its own listing does not show the session either
        as(otherKey).get("/v1/sessions").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void aNonAdminKeyCannotCreateKeys() throws Exception {
        String memberKey = admin().body(Map.of("name", "member")).post("/v1/api-keys").then().statusCode(201)
                .extract().path("key");
        assertNothingWritten(() -> as(memberKey).body(Map.of("name", "more")).post("/v1/api-keys").then(), 403,
                "forbidden");
    }

    private ValidatableResponse assertNothingWritten(java.util.function.Supplier<ValidatableResponse> request, int status,
            String type) throws Exception {
        return Snapshots.expectNothingWritten(() -> request.get()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(PROBLEMS + type))
                .body("status", equalTo(status)));
    }
}
