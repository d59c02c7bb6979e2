package dev.berth.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire of {@code /openai/v1/responses} beyond what the SDK test shows: the error object for every
 * refusal (and nothing written), conversation ids in both forms, tool calls and failures as output,
 * and an actor key confined to its own conversations (ADR 0035).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ResponsesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESPONSES = "/openai/v1/responses";

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void badStreamBackgroundAndStoreValuesAreRefusedAndWriteNothing() {
        String agent = agent();
        String user = "u-" + UUID.randomUUID();
        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("stream", "yes"),
                Map.entry("background", 1), Map.entry("store", "no"))) {
            Api.admin().body(Map.of("model", agent, "input", "Hi", "user", user, bad.getKey(), bad.getValue())).post(RESPONSES)
                    .then().statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo(bad.getKey()))
                    .body("error.code", equalTo("validation"));
        }
        // A background response must be stored (as OpenAI's)
        Api.admin().body(Map.of("model", agent, "input", "Hi", "user", user, "background", true, "store", false))
                .post(RESPONSES).then().statusCode(400).body("error.param", equalTo("store"));
        // No session was opened for the user, and the model was never called
        Api.admin().get("/v1/sessions?actorId=" + user).then().statusCode(200).body("items.size()", equalTo(0));
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    @Test
    void everyRefusalOnThisSurfaceIsAnOpenAiErrorObject() {
        // 401 from ApiKeyFilter, with its challenge header kept
        given().contentType(ContentType.JSON).body(Map.of("model", "x", "input", "Hi")).post(RESPONSES).then()
                .statusCode(401).contentType(ContentType.JSON).header("WWW-Authenticate", "Bearer")
                .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("unauthorized"));
        // 404 for a response id that names nothing, or is not an id of ours
        for (String id : List.of("resp_" + UUID.randomUUID().toString().replace("-", ""), "resp_nothex", "msg_1")) {
            Api.admin().get(RESPONSES + "/" + id).then().statusCode(404)
                    .body("error.type", equalTo("invalid_request_error")).body("error.code", equalTo("not_found"));
        }
        // a malformed body
        Api.admin().body("[1]").post(RESPONSES).then().statusCode(400).body("error.param", equalTo("body"));
        // the native API keeps its problems
        given().get("/v1/sessions").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aConversationIsASessionNamedWithOrWithoutItsPrefix() throws Exception {
        String agent = agent();
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, agent, "carol");
        String conv = "conv_" + session.replace("-", "");
        BerthTestResource.fake().enqueue(FakeReply.text("One."), FakeReply.text("Two."));

        JsonNode bare = create(Map.of("model", agent, "input", "first", "conversation", session));
        JsonNode prefixed = create(Map.of("model", agent,
                "input", List.of(Map.of("role", "user", "content", List.of(Map.of("type", "input_text", "text", "second")))),
                "conversation", Map.of("id", conv)));

        assertThat(bare.at("/conversation/id").asText()).isEqualTo(conv);
        assertThat(prefixed.at("/conversation/id").asText()).isEqualTo(conv);
        assertThat(prefixed.at("/output/0/content/0/text").asText()).isEqualTo("Two.");
        // both inputs are in the session's log, as native input
        String log = Api.admin().get("/v1/sessions/" + session + "/events").then().statusCode(200).extract().asString();
        assertThat(log).contains("\"first\"").contains("\"second\"");
        // a conversation keeps its agent
        Api.admin().body(Map.of("model", agent() , "input", "x", "conversation", conv)).post(RESPONSES).then()
                .statusCode(400).body("error.param", equalTo("model"));
    }

    @Test
    void toolCallsAndFailuresShowInTheResponse() throws Exception {
        String agent = "clock-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent, "current_time");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"),
                FakeReply.text("Noon."), FakeReply.error(400, "invalid_request_error", "the model refused"));

        JsonNode answered = create(Map.of("model", agent, "input", "time?"));
        assertThat(answered.at("/status").asText()).isEqualTo("completed");
        // a call Berth executed itself is an mcp_call of the "berth" server, with its output (ADR 0037)
        assertThat(answered.at("/output/0/type").asText()).isEqualTo("mcp_call");
        assertThat(answered.at("/output/0/server_label").asText()).isEqualTo("berth");
        assertThat(answered.at("/output/0/name").asText()).isEqualTo("current_time");
        assertThat(answered.at("/output/0/arguments").asText()).contains("UTC");
        assertThat(answered.at("/output/0/output").asText()).isNotBlank();
        assertThat(answered.at("/output/1/content/0/text").asText()).isEqualTo("Noon.");
        assertThat(answered.at("/usage/total_tokens").asLong()).isPositive();

        JsonNode failed = create(Map.of("model", agent, "input", "again", "previous_response_id", answered.get("id").asText()));
        assertThat(failed.at("/status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("server_error");
        assertThat(failed.at("/error/message").asText()).startsWith("model_bad_request");
        assertThat(failed.at("/output").size()).isZero();
    }

    @Test
    void anActorKeySeesOnlyItsOwnConversationsAndResponses() throws Exception {
        String agent = agent();
        String mine = actorKey("dave");
        String theirs = Api.openSession(BerthTestResource.ADMIN_KEY, agent, "erin");
        BerthTestResource.fake().enqueue(FakeReply.text("Hi Dave."));

        // Its new session is its actor's, whatever user it leaves out
        JsonNode own = JSON.readTree(Api.as(mine).body(Map.of("model", agent, "input", "hi")).post(RESPONSES).then()
                .statusCode(200).extract().asString());
        String ownSession = own.at("/conversation/id").asText().substring("conv_".length());
        Api.admin().get("/v1/sessions/" + UUID.fromString(ownSession.replaceFirst(
                "(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}+)", "$1-$2-$3-$4-$5")))
                .then().statusCode(200).body("actorId", equalTo("dave"));
        // another actor's conversation is unknown to it, and so is naming another user
        Api.as(mine).body(Map.of("model", agent, "input", "hi", "conversation", theirs)).post(RESPONSES).then()
                .statusCode(404).body("error.type", equalTo("invalid_request_error"));
        Api.as(mine).body(Map.of("model", agent, "input", "hi", "user", "erin")).post(RESPONSES).then()
                .statusCode(403).body("error.type", equalTo("permission_error"));
        assertThat(BerthTestResource.fake().requests()).hasSize(1);
    }

    private static JsonNode create(Map<String, Object> body) throws Exception {
        return JSON.readTree(Api.admin().body(body).post(RESPONSES).then().statusCode(200).extract().asString());
    }

    private static String agent() {
        String name = "resp-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, name);
        return name;
    }

    private static String actorKey(String actor) throws Exception {
        return JSON.readTree(Api.admin().body(Map.of("name", actor + "-" + UUID.randomUUID(), "roles", List.of("actor"),
                "actorId", actor)).post("/v1/api-keys").then().statusCode(201).extract().asString()).get("key").asText();
    }
}
