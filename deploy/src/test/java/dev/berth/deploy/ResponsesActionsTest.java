package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire of answering a paused response over {@code /openai/v1/responses} beyond the SDK's round trips
 * (ADR 0037): every refused answer is OpenAI's error object and writes nothing, a partial or repeated
 * answer is refused, a conversation may be answered by its id, and an actor answers only its own.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ResponsesActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESPONSES = "/openai/v1/responses";
    private static final Map<String, Object> LOCATION = clientTool("get_location");
    private static final Map<String, Object> WEATHER = clientTool("get_weather");

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void badAnswersAreOpenAiErrorsAndWriteNothing() throws Exception {
        // Given a response paused on a client-side tool, and another on an approval
        String agent = agent(Map.of("clientTools", List.of(LOCATION), "tools", List.of("current_time"),
                "approvalRequired", List.of("current_time")));
        BerthTestResource.fake().enqueue(calls("call_loc:get_location"), calls("call_t:current_time"),
                FakeReply.text("Done."));
        JsonNode paused = create(Map.of("model", agent, "input", "where?"));
        JsonNode approval = create(Map.of("model", agent, "input", "time?"));
        String pausedId = paused.get("id").asText();
        String requestId = approval.at("/output/0/id").asText();
        assertThat(approval.at("/output/0/type").asText()).isEqualTo("mcp_approval_request");
        long before = eventCount(paused) + eventCount(approval);

        // an unknown call id: 400 naming the item
        refused(Map.of("model", agent, "previous_response_id", pausedId, "input", List.of(output("call_nope", "x"))),
                400, "input[0]", "validation");
        // a message and an output together: 400 (Berth takes the message in the next request)
        refused(Map.of("model", agent, "previous_response_id", pausedId, "input", List.of(output("call_loc", "Lyon"),
                Map.of("role", "user", "content", "and the weather?"))), 400, "input", "validation");
        // a message alone to a response that waits for outputs: 400, as OpenAI's "no tool output found"
        refused(Map.of("model", agent, "previous_response_id", pausedId, "input", "hello?"), 400, "input", "validation");
        // an output with nothing that names the response: 400
        refused(Map.of("model", agent, "input", List.of(output("call_loc", "Lyon"))), 400, "input", "validation");
        // an output for a call that waits for a decision: 400
        String callOfApproval = requestId.substring(requestId.lastIndexOf("_call_") + 1);
        refused(Map.of("model", agent, "previous_response_id", approval.get("id").asText(),
                "input", List.of(output(callOfApproval, "12:00"))), 400, "input[0]", "validation");
        // an approval response with an id that is not an approval request of ours: 400
        refused(Map.of("model", agent, "previous_response_id", approval.get("id").asText(),
                "input", List.of(decision("mcpr_nonsense", true))), 400, "input[0].approval_request_id", "validation");
        // a decision on other arguments than the call has (ADR 0033's binding): 409
        String stale = "mcpr_" + "0".repeat(64) + "_" + callOfApproval;
        refused(Map.of("model", agent, "previous_response_id", approval.get("id").asText(),
                "input", List.of(decision(stale, true))), 409, null, "approval_stale");
        // and nothing was written, nor the model called again
        assertThat(eventCount(paused) + eventCount(approval)).isEqualTo(before);
        assertThat(BerthTestResource.fake().requests()).hasSize(2);

        // When the call is answered, answering the same response again is refused: the run waits no more
        JsonNode done = create(Map.of("model", agent, "previous_response_id", pausedId,
                "input", List.of(output("call_loc", "Lyon"))));
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("Done.");
        refused(Map.of("model", agent, "previous_response_id", pausedId, "input", List.of(output("call_loc", "Lyon"))),
                409, null, "run_not_waiting");
        refused(Map.of("model", agent, "previous_response_id", done.get("id").asText(),
                "input", List.of(output("call_loc", "Lyon"))), 409, null, "run_not_waiting");
    }

    @Test
    void everyCallNeedsItsAnswerAndACallAnsweredBeforeIsRefused() throws Exception {
        // Given a response that ends in two function calls
        String agent = agent(Map.of("clientTools", List.of(LOCATION, WEATHER)));
        BerthTestResource.fake().enqueue(calls("call_a:get_location", "call_b:get_weather"), FakeReply.text("Sunny Lyon."));
        JsonNode paused = create(Map.of("model", agent, "input", "weather here?"));
        assertThat(paused.at("/output").size()).isEqualTo(2);
        String id = paused.get("id").asText();

        // One output of two: 400, nothing written
        long before = eventCount(paused);
        refused(Map.of("model", agent, "previous_response_id", id, "input", List.of(output("call_a", "Lyon"))),
                400, "input", "validation");
        assertThat(eventCount(paused)).isEqualTo(before);
        // When one call is answered on the native API, answering it again here is a conflict, and writes nothing
        Api.admin().body(Map.of("actions", List.of(Map.of("callId", "call_a", "output", "Lyon"))))
                .post("/v1/runs/" + OpenAiFunctionCallTest.runId(id) + "/actions").then().statusCode(200);
        long answered = eventCount(paused);
        refused(Map.of("model", agent, "previous_response_id", id,
                "input", List.of(output("call_a", "Paris"), output("call_b", "sunny"))), 409, null, "action_already_answered");
        assertThat(eventCount(paused)).isEqualTo(answered);

        // The call still open, answered through the conversation's id, resumes the run
        JsonNode done = create(Map.of("model", agent, "conversation", paused.at("/conversation/id").asText(),
                "input", List.of(output("call_b", "sunny"))));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("Sunny Lyon.");
        // and the new response starts at the first answer (the native one), read back from any process by its id
        Api.admin().get(RESPONSES + "/" + done.get("id").asText()).then().statusCode(200)
                .body("output[0].content[0].text", equalTo("Sunny Lyon."));
        // an id of a segment the run does not have names nothing
        Api.admin().get(RESPONSES + "/" + id + "_" + (before + 1000)).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void anActorAnswersOnlyItsOwnResponses() throws Exception {
        String agent = agent(Map.of("clientTools", List.of(LOCATION)));
        String dave = actorKey("dave");
        String erin = actorKey("erin");
        BerthTestResource.fake().enqueue(calls("call_d:get_location"), FakeReply.text("Dave is home."));
        JsonNode paused = JSON.readTree(Api.as(dave).body(Map.of("model", agent, "input", "where?")).post(RESPONSES)
                .then().statusCode(200).extract().asString());
        Map<String, Object> answer = Map.of("model", agent, "previous_response_id", paused.get("id").asText(),
                "input", List.of(output("call_d", "home")));
        long before = eventCount(paused);

        // Another actor's response is unknown to it, and its answer writes nothing
        Api.as(erin).body(answer).post(RESPONSES).then().statusCode(404).body("error.code", equalTo("not_found"));
        Api.as(erin).body(Map.of("model", agent, "conversation", paused.at("/conversation/id").asText(),
                "input", List.of(output("call_d", "home")))).post(RESPONSES).then().statusCode(404);
        assertThat(eventCount(paused)).isEqualTo(before);

        // Its own actor answers it, and the answer is recorded as the actor's
        Api.as(dave).body(answer).post(RESPONSES).then().statusCode(200)
                .body("output[0].content[0].text", equalTo("Dave is home."));
        String log = Api.admin().get("/v1/sessions/" + sessionId(paused) + "/events").then().statusCode(200)
                .extract().asString();
        assertThat(JSON.readTree(log).get("items")).filteredOn(event -> "tool.result".equals(event.get("type").asText()))
                .singleElement().satisfies(event -> assertThat(event.at("/data/by").asText()).startsWith("key:"));
    }

    private static void refused(Map<String, Object> body, int status, String param, String code) {
        ValidatableResponse response = Api.admin().body(body).post(RESPONSES).then().statusCode(status)
                .body("error.type", equalTo("invalid_request_error")).body("error.code", equalTo(code));
        if (param != null) {
            response.body("error.param", equalTo(param));
        }
    }

    private static JsonNode create(Map<String, Object> body) throws Exception {
        return JSON.readTree(Api.admin().body(body).post(RESPONSES).then().statusCode(200).extract().asString());
    }

    private static long eventCount(JsonNode response) throws Exception {
        String log = Api.admin().get("/v1/sessions/" + sessionId(response) + "/events").then().statusCode(200)
                .extract().asString();
        return JSON.readTree(log).get("items").size();
    }

    private static String sessionId(JsonNode response) {
        String hex = response.at("/conversation/id").asText().substring("conv_".length());
        return UUID.fromString(hex.replaceFirst("(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}+)",
                "$1-$2-$3-$4-$5")).toString();
    }

    /** Tool calls given as {@code callId:name}, with empty arguments. */
    private static FakeReply calls(String... calls) {
        return new FakeReply.ToolCalls(java.util.Arrays.stream(calls)
                .map(call -> new ToolCall(call.split(":")[0], call.split(":")[1], "{}")).toList(), null);
    }

    private static Map<String, Object> output(String callId, String output) {
        return Map.of("type", "function_call_output", "call_id", callId, "output", output);
    }

    private static Map<String, Object> decision(String requestId, boolean approve) {
        return Map.of("type", "mcp_approval_response", "approval_request_id", requestId, "approve", approve);
    }

    private static Map<String, Object> clientTool(String name) {
        return Map.of("name", name, "description", "A tool the client runs.",
                "parameters", Map.of("type", "object", "properties", Map.of()));
    }

    private static String agent(Map<String, Object> definition) {
        String agent = "acts-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>(definition);
        body.put("instructions", "You use tools.");
        body.put("model", "test-model");
        Api.admin().body(body).put("/v1/agents/" + agent).then().statusCode(201);
        return agent;
    }

    private static String actorKey(String actor) throws Exception {
        return JSON.readTree(Api.admin().body(Map.of("name", actor + "-" + UUID.randomUUID(), "roles", List.of("actor"),
                "actorId", actor)).post("/v1/api-keys").then().statusCode(201).extract().asString()).get("key").asText();
    }
}
