package dev.berth.deploy.tools;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Drives Berth's API as a client would, for the tool tests. */
final class ToolsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolsApi() {
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    /** Defines an agent with these tools and opens a session with it; returns the session id. */
    static String sessionWithTools(String... tools) {
        String agent = "tools-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("instructions", "You use tools.", "model", "test-model", "tools", tools))
                .put("/v1/agents/" + agent).then().statusCode(201);
        return admin().body(Map.of("agent", agent, "actorId", "tool-tester"))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    /** Defines an agent from this definition (instructions and model are added) and opens a session with it. */
    static String sessionWithAgent(Map<String, Object> definition) {
        String agent = "actions-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new java.util.HashMap<>(definition);
        body.put("instructions", "You use tools.");
        body.put("model", "test-model");
        admin().body(body).put("/v1/agents/" + agent).then().log().ifValidationFails().statusCode(201);
        return admin().body(Map.of("agent", agent, "actorId", "tool-tester"))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    static JsonNode run(String runId, int waitSeconds) throws Exception {
        return JSON.readTree(admin().get("/v1/runs/" + runId + "?wait=" + waitSeconds).then().statusCode(200)
                .extract().asString());
    }

    /** The data of the session's events of this type, in order. */
    static List<JsonNode> eventsOfType(String session, String type) throws Exception {
        return events(session).stream().filter(event -> type.equals(event.get("type").asText()))
                .map(event -> event.get("data")).toList();
    }

    /** Sends a message and waits for its run; returns the run. */
    static JsonNode sendAndWait(String session, String text) throws Exception {
        String body = admin().body(Map.of("text", text))
                .post("/v1/sessions/" + session + "/messages?wait=30").then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    static List<JsonNode> events(String session) throws Exception {
        String body = admin().get("/v1/sessions/" + session + "/events").then().statusCode(200).extract().asString();
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(body).get("items").forEach(list::add);
        return list;
    }

    /** The data of the session's only tool.result event. */
    static JsonNode toolResult(String session) throws Exception {
        List<JsonNode> results = events(session).stream()
                .filter(event -> "tool.result".equals(event.get("type").asText()))
                .map(event -> event.get("data"))
                .toList();
        if (results.size() != 1) {
            throw new AssertionError("expected one tool.result event, got " + results);
        }
        return results.get(0);
    }

    /** The last message of the model's n-th request (0-based): what the model read last. */
    static JsonNode lastMessageOfModelCall(int index) {
        JsonNode request = BerthTestResource.fake().requests().get(index);
        JsonNode messages = request.get("messages");
        return messages.get(messages.size() - 1);
    }

    /** The function definitions offered in the model's n-th request, by name. */
    static JsonNode offeredTool(int index, String name) {
        for (JsonNode tool : BerthTestResource.fake().requests().get(index).path("tools")) {
            if (name.equals(tool.path("function").path("name").asText())) {
                return tool.get("function");
            }
        }
        throw new AssertionError("the model was not offered " + name);
    }
}
