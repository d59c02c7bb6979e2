package dev.berth.deploy.teams;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Agent teams over HTTP for tests: agents routed on the fake model by a marker, sessions, input, run trees. */
public final class TeamApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TeamApi() {
    }

    public static String marker(String agent) {
        return "[agent:" + agent + "]";
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    public static void define(String name, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instructions", "You are " + name + ". " + marker(name));
        body.put("model", "test-model");
        body.putAll(extra);
        admin().body(body).put("/v1/agents/" + name).then().statusCode(201);
    }

    public static String openSession(String agent) {
        return admin().body(Map.of("agent", agent, "actorId", "team-user")).post("/v1/sessions").then().statusCode(201)
                .extract().path("id");
    }

    public static io.restassured.response.ValidatableResponse send(String session, String text, int wait) {
        return admin().body(Map.of("text", text)).post("/v1/sessions/" + session + "/messages?wait=" + wait).then();
    }

    public static JsonNode tree(String runId) throws Exception {
        return JSON.readTree(admin().get("/v1/runs/" + runId + "/tree").then().statusCode(200).extract().asString());
    }

    public static List<JsonNode> events(String session) throws Exception {
        JsonNode items = JSON.readTree(admin().get("/v1/sessions/" + session + "/events?limit=500").then()
                .statusCode(200).extract().asString()).get("items");
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    public static JsonNode lastRequestWith(String marker) {
        List<JsonNode> matching = BerthTestResource.fake().requests().stream()
                .filter(r -> r.path("messages").path(0).path("content").asText("").contains(marker)).toList();
        assertThat(matching).as("requests of " + marker).isNotEmpty();
        return matching.getLast();
    }
}
