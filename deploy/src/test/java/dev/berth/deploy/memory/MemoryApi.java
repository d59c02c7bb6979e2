package dev.berth.deploy.memory;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Drives the memory API and reads what the fake model was asked, as the memory tests need. */
final class MemoryApi {
    private MemoryApi() {
    }

    static RequestSpecification admin() {
        return as(BerthTestResource.ADMIN_KEY);
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static void defineAgent(String name, Map<String, Object> memory, String... tools) {
        admin().body(Map.of("instructions", "You are a test agent.", "model", "gpt-4o", "tools", tools,
                        "memory", memory))
                .put("/v1/agents/" + name).then().statusCode(201);
    }

    static String openSession(String agent, String actor) {
        return admin().body(Map.of("agent", agent, "actorId", actor))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    static io.restassured.response.ValidatableResponse send(String session, String text) {
        return admin().body(Map.of("text", text)).post("/v1/sessions/" + session + "/messages?wait=30").then()
                .statusCode(200);
    }

    static List<Map<String, Object>> memories(String namespace) {
        return admin().get("/v1/memories?namespace=" + namespace + "&limit=100").then().statusCode(200)
                .extract().path("items");
    }

    static List<Map<String, Object>> events(String session) {
        return admin().get("/v1/sessions/" + session + "/events?after=0&limit=100").then().statusCode(200)
                .extract().path("items");
    }

    /** The chat requests of agent steps (not extraction, compaction or embeddings), oldest first. */
    static List<JsonNode> agentCalls() {
        return BerthTestResource.fake().requests().stream()
                .filter(r -> r.has("messages") && !r.has("response_format") && !isCompaction(r))
                .toList();
    }

    /** The compaction calls: chat requests whose instructions are the summariser's. */
    static List<JsonNode> compactionCalls() {
        return BerthTestResource.fake().requests().stream().filter(r -> r.has("messages") && isCompaction(r)).toList();
    }

    private static boolean isCompaction(JsonNode request) {
        return systemText(request).startsWith("You maintain the running summary");
    }

    /** Every message content of a chat request, joined. */
    static String allText(JsonNode chatRequest) {
        StringBuilder text = new StringBuilder();
        chatRequest.get("messages").forEach(m -> text.append(m.path("content").asText()).append('\n'));
        return text.toString();
    }

    static String systemText(JsonNode chatRequest) {
        return chatRequest.get("messages").get(0).get("content").asText();
    }

    /**
     * Waits until no extraction job is queued or running: an extraction still in flight would
     * take the next test's scripted model replies.
     */
    static void awaitNoLiveJobs() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (java.sql.Connection connection = BerthTestResource.database().connect();
                    java.sql.ResultSet rows = connection.createStatement().executeQuery(
                            "select count(*) from memory_jobs where status in ('queued', 'running')")) {
                rows.next();
                return rows.getLong(1) == 0;
            }
        });
    }

    /** A structured-output answer of the extraction call. */
    static String extracted(String kind, String key, String content) {
        return "{\"memories\":[{\"kind\":\"" + kind + "\",\"key\":\"" + key + "\",\"content\":\"" + content + "\"}]}";
    }
}
