package dev.berth.deploy.fuzz;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One of everything a tenant can own, created through the public API: two agents (one with two
 * versions, a client-side tool and a sub-agent), a session with events, a completed run, a run
 * that called a sub-agent (a run tree with a child session), a run paused for a client-side tool
 * (a required action), a memory, a memory block, an actor and a second API key.
 *
 * <p>{@link #byCollection()} names them by the path segment their routes put before the id
 * ({@code sessions}, {@code runs}, {@code versions}, ...), which is how the suites fill path
 * parameters of routes they read from the OpenAPI document; {@link #fields()} gives known-good
 * values by property or query parameter name.
 */
public final class TenantObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final UUID tenant;
    private final Map<String, List<String>> byCollection;
    private final Map<String, JsonNode> fields;

    private TenantObjects(String key, UUID tenant, Map<String, List<String>> byCollection, Map<String, JsonNode> fields) {
        this.key = key;
        this.tenant = tenant;
        this.byCollection = byCollection;
        this.fields = fields;
    }

    /** A new tenant (created with the operator's admin key) and its objects; {@code tag} keeps names unique. */
    public static TenantObjects create(String tag) throws Exception {
        JsonNode created = JSON.readTree(as(BerthTestResource.ADMIN_KEY).body(Map.of("name", "tenant-" + tag))
                .post("/v1/tenants").then().statusCode(201).extract().asString());
        return populate(created.at("/adminKey/key").asText(), UUID.fromString(created.get("id").asText()), tag);
    }

    /** A new tenant with nothing in it but its admin key. */
    public static TenantObjects bare(String tag) throws Exception {
        JsonNode created = JSON.readTree(as(BerthTestResource.ADMIN_KEY).body(Map.of("name", "tenant-" + tag))
                .post("/v1/tenants").then().statusCode(201).extract().asString());
        return new TenantObjects(created.at("/adminKey/key").asText(), UUID.fromString(created.get("id").asText()),
                Map.of(), Map.of());
    }

    /** The objects of the tenant that {@code key} (an admin key) belongs to. */
    public static TenantObjects populate(String key, UUID tenant, String tag) throws Exception {
        String helper = "helper-" + tag;
        String agent = "agent-" + tag;
        String actor = "actor-" + tag;
        String namespace = "actors/" + actor;
        String label = "persona-" + tag;

        // Agents: a sub-agent, and a supervisor with a client-side tool in two versions.
        put(key, "/v1/agents/" + helper, Map.of("instructions", "You help. " + marker(helper), "model", "test-model"));
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("instructions", "You lead. " + marker(agent));
        definition.put("model", "test-model");
        definition.put("tools", List.of("current_time"));
        definition.put("subAgents", List.of(helper));
        definition.put("clientTools", List.of(Map.of("name", "get_location", "description", "Where the user is.",
                "parameters", Map.of("type", "object", "properties", Map.of()))));
        put(key, "/v1/agents/" + agent, definition);
        definition.put("instructions", "You lead, version two. " + marker(agent));
        put(key, "/v1/agents/" + agent, definition);

        // A session with three runs: answered, through the sub-agent, paused for the client-side tool.
        BerthTestResource.fake().route(marker(agent), FakeReply.text("Hello."),
                FakeReply.toolCalls(new ToolCall("call_help", "agent__" + helper, "{\"input\":\"help\"}")),
                FakeReply.text("Done with help."),
                FakeReply.toolCalls(new ToolCall("call_loc", "get_location", "{}")));
        BerthTestResource.fake().route(marker(helper), FakeReply.text("Helped."));
        String session = field(post(key, "/v1/sessions", Map.of("agent", agent, "actorId", actor)), "id");
        String answered = field(message(key, session, "hi", "completed"), "id");
        String tree = field(message(key, session, "get help", "completed"), "id");
        String paused = field(message(key, session, "where am I?", "requires_action"), "id");
        JsonNode children = read(as(key).get("/v1/runs/" + tree + "/tree").then().statusCode(200).extract().asString())
                .get("children");
        String childRun = children.at("/0/run/id").asText();
        String childSession = children.at("/0/run/sessionId").asText();

        String memory = field(post(key, "/v1/memories", Map.of("namespace", namespace, "kind", "fact", "key",
                "tea-" + tag, "content", "Likes green tea.")), "id");
        as(key).body(Map.of("content", "Formal tone.")).put("/v1/memory-blocks/" + label + "?namespace=" + namespace)
                .then().statusCode(200);
        String apiKey = field(post(key, "/v1/api-keys", Map.of("name", "member-" + tag)), "id");

        Map<String, List<String>> byCollection = new LinkedHashMap<>();
        byCollection.put("sessions", List.of(session, childSession));
        byCollection.put("runs", List.of(answered, tree, paused, childRun));
        byCollection.put("agents", List.of(agent, helper));
        byCollection.put("versions", List.of("1", "2"));
        byCollection.put("memories", List.of(memory));
        byCollection.put("memory-blocks", List.of(label));
        byCollection.put("actors", List.of(actor));
        byCollection.put("api-keys", List.of(apiKey));
        byCollection.put("tenants", List.of(tenant.toString())); // the platform operator's routes

        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("agent", nodes.textNode(agent));
        fields.put("actorId", nodes.textNode(actor));
        fields.put("namespace", nodes.textNode(namespace));
        fields.put("kind", nodes.textNode("fact"));
        fields.put("model", nodes.textNode("test-model"));
        fields.put("instructions", nodes.textNode("Be brief."));
        fields.put("text", nodes.textNode("hello"));
        fields.put("content", nodes.textNode("A note."));
        fields.put("name", nodes.textNode("name-" + tag));
        fields.put("key", nodes.textNode("key-" + tag));
        fields.put("query", nodes.textNode("tea"));
        fields.put("callId", nodes.textNode("call_loc"));
        fields.put("output", nodes.textNode("Lyon"));
        fields.put("agentVersion", nodes.numberNode(1));
        return new TenantObjects(key, tenant, Map.copyOf(byCollection), Map.copyOf(fields));
    }

    /** The tenant's admin key. */
    public String key() {
        return key;
    }

    public UUID tenant() {
        return tenant;
    }

    /** The tenant's objects by the path segment before their id in a route ({@code sessions}, {@code runs}, ...). */
    public Map<String, List<String>> byCollection() {
        return byCollection;
    }

    /** Known-good values of body properties and query parameters, by name. */
    public Map<String, JsonNode> fields() {
        return fields;
    }

    /** Every id and name of the tenant's objects. */
    public List<String> allValues() {
        List<String> all = new ArrayList<>();
        byCollection.forEach((collection, values) -> values.stream()
                .filter(v -> !collection.equals("versions")).forEach(all::add));
        return all;
    }

    static String marker(String agent) {
        return "[agent:" + agent + "]";
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static void put(String key, String path, Object body) {
        as(key).body(body).put(path).then().statusCode(201);
    }

    private static JsonNode post(String key, String path, Object body) throws Exception {
        return read(as(key).body(body).post(path).then().statusCode(201).extract().asString());
    }

    private static JsonNode message(String key, String session, String text, String status) throws Exception {
        JsonNode run = read(as(key).body(Map.of("text", text)).post("/v1/sessions/" + session + "/messages?wait=30")
                .then().statusCode(200).extract().asString());
        if (!run.path("status").asText().equals(status)) {
            throw new IllegalStateException("expected a " + status + " run, got " + run);
        }
        return run;
    }

    private static String field(JsonNode node, String name) {
        return node.get(name).asText();
    }

    private static JsonNode read(String json) throws Exception {
        return JSON.readTree(json);
    }
}
