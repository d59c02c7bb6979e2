package dev.berth.deploy.memory;

import static dev.berth.deploy.memory.MemoryApi.admin;
import static dev.berth.deploy.memory.MemoryApi.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.Snapshots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory API: records, search, blocks, actor erasure, bad input and tenant isolation. */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class MemoryApiTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";

    @Test
    void recordsAreCreatedListedSearchedUpdatedAndDeleted() {
        // Given three memories in one namespace
        String ns = "actors/api-user";
        String tea = create(ns, "preference", "drink", "The user drinks green tea every morning.");
        create(ns, "fact", "city", "The user lives in Porto.");
        create(ns, "fact", "job", "The user works as a nurse at night.");

        // When searching for a drink
        List<Map<String, Object>> hits = admin().body(Map.of("namespace", ns, "query", "green tea morning", "topK", 2))
                .post("/v1/memories/search").then().statusCode(200).extract().path("$");

        // Then the tea preference ranks first
        assertThat(hits).hasSize(2);
        assertThat(((Map<?, ?>) hits.getFirst().get("memory")).get("id")).isEqualTo(tea);

        // and an update re-embeds the content, a delete removes it
        admin().body(Map.of("content", "The user drinks black coffee.")).patch("/v1/memories/" + tea).then()
                .statusCode(200).body("content", equalTo("The user drinks black coffee."));
        admin().get("/v1/memories/" + tea).then().statusCode(200).body("key", equalTo("drink"));
        admin().delete("/v1/memories/" + tea).then().statusCode(204);
        admin().get("/v1/memories/" + tea).then().statusCode(404);
        assertThat(MemoryApi.memories(ns)).hasSize(2);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() throws Exception {
        // Every table of the schema, by content: a refused request writes no row anywhere
        Snapshots.expectNothingWritten(() -> {
            problem(admin().body(Map.of("namespace", "people/x", "content", "c")).post("/v1/memories").then(), 400);
            problem(admin().body(Map.of("namespace", "actors/", "content", "c")).post("/v1/memories").then(), 400);
            problem(admin().body(Map.of("namespace", "actors/x", "kind", "gossip", "content", "c"))
                    .post("/v1/memories").then(), 400);
            problem(admin().body(Map.of("namespace", "actors/x", "content", "")).post("/v1/memories").then(), 400);
            problem(admin().body(Map.of("namespace", "actors/x", "query", "")).post("/v1/memories/search").then(), 400);
            problem(admin().get("/v1/memories").then(), 400);
            problem(admin().body(Map.of("content", "x")).put("/v1/memory-blocks/bad%20label?namespace=actors/x").then(),
                    400);
            problem(admin().get("/v1/memories/not-a-uuid").then(), 404);
            problem(admin().body(Map.of("instructions", "i", "model", "m", "memory", Map.of("contextTokens", 10)))
                    .put("/v1/agents/tiny").then(), 400);
            problem(admin().body(Map.of("instructions", "i", "model", "m", "memory", Map.of("extraction", List.of("x"))))
                    .put("/v1/agents/tiny").then(), 400);
            return null;
        });
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        // Given a memory and a block of the admin's tenant
        String id = create("actors/secret", "fact", null, "The user's locker code is 4711.");
        admin().body(Map.of("content", "pinned")).put("/v1/memory-blocks/profile?namespace=actors/secret").then()
                .statusCode(200);
        String otherKey = admin().body(Map.of("name", "memory-other")).post("/v1/tenants").then().statusCode(201)
                .extract().path("adminKey.key");

        // Then another tenant finds nothing, whichever way it asks
        as(otherKey).get("/v1/memories/" + id).then().statusCode(404);
        as(otherKey).get("/v1/memories?namespace=actors/secret").then().statusCode(200).body("items.size()", equalTo(0));
        as(otherKey).body(Map.of("namespace", "actors/secret", "query", "locker code")).post("/v1/memories/search")
                .then().statusCode(200).body("size()", equalTo(0));
        as(otherKey).get("/v1/memory-blocks?namespace=actors/secret").then().statusCode(200).body("size()", equalTo(0));
        as(otherKey).delete("/v1/memories/" + id).then().statusCode(404);
        as(otherKey).delete("/v1/actors/secret").then().statusCode(200).body("memories", equalTo(0));
        admin().get("/v1/memories/" + id).then().statusCode(200);
    }

    @Test
    void erasingAnActorLeavesNothingOfTheirs() throws Exception {
        // Given two actors, each with a session, events, a run, memories and a block
        MemoryApi.defineAgent("erasable", Map.of());
        String gone = seedActor("erase-me");
        String kept = seedActor("keep-me");

        // When one actor is erased
        admin().delete("/v1/actors/erase-me").then().statusCode(200)
                .body("sessions", equalTo(1)).body("memories", equalTo(2)).body("blocks", equalTo(1));

        // Then nothing of theirs is left, in the API or in any table
        admin().get("/v1/sessions/" + gone).then().statusCode(404);
        admin().get("/v1/sessions?actorId=erase-me").then().statusCode(200).body("items.size()", equalTo(0));
        assertThat(MemoryApi.memories("actors/erase-me")).isEmpty();
        assertThat(MemoryApi.memories("sessions/" + gone)).isEmpty();
        assertThat(leftovers("erase-me", gone)).isZero();
        // and the other actor keeps everything
        admin().get("/v1/sessions/" + kept).then().statusCode(200);
        assertThat(MemoryApi.memories("actors/keep-me")).hasSize(1);
        assertThat(leftovers("keep-me", kept)).isGreaterThan(0);
    }

    private static String seedActor(String actor) {
        String session = MemoryApi.openSession("erasable", actor);
        MemoryApi.send(session, "hello from " + actor);
        create("actors/" + actor, "fact", "name", actor + " is a test user.");
        create("sessions/" + session, "note", null, "A note in " + actor + "'s session.");
        admin().body(Map.of("content", "profile of " + actor))
                .put("/v1/memory-blocks/profile?namespace=actors/" + actor).then().statusCode(200);
        return session;
    }

    /** Rows anywhere that belong to the actor or their session. */
    private static long leftovers(String actor, String session) throws Exception {
        String sql = """
                select (select count(*) from sessions where actor_id = ?)
                     + (select count(*) from events where session_id = ?::uuid)
                     + (select count(*) from runs where session_id = ?::uuid)
                     + (select count(*) from memories where actor_id = ? or namespace = 'sessions/' || ?
                                                        or namespace = 'actors/' || ?)
                     + (select count(*) from memory_blocks where namespace = 'actors/' || ?)
                     + (select count(*) from memory_jobs where actor_id = ?)""";
        try (Connection connection = BerthTestResource.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            String[] params = {actor, session, session, actor, session, actor, actor, actor};
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String create(String namespace, String kind, String key, String content) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("namespace", namespace, "kind", kind,
                "content", content));
        if (key != null) {
            body.put("key", key);
        }
        return admin().body(body).post("/v1/memories").then().statusCode(201).extract().path("id");
    }

    private static void problem(io.restassured.response.ValidatableResponse response, int status) {
        response.statusCode(status).contentType(startsWith("application/problem+json"))
                .body("type", startsWith(PROBLEMS));
    }
}
