package dev.berth.deploy.control;

import static dev.berth.deploy.teams.TeamApi.admin;
import static dev.berth.deploy.teams.TeamApi.define;
import static dev.berth.deploy.teams.TeamApi.marker;
import static dev.berth.deploy.teams.TeamApi.openSession;
import static dev.berth.deploy.teams.TeamApi.send;
import static dev.berth.deploy.teams.TeamApi.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator kill switch (ADR 0033) over HTTP, against the fake model: a looping team stops
 * within one step, the session refuses input until reopened, and the kill says who and when.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class KillSwitchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tool calls a looping worker has scripted: far more than the test lets it make. */
    private static final int LOOP_REPLIES = 100;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void theKillSwitchStopsALoopingTeamRunWithinOneStep() throws Exception {
        // Given a team run whose two sub-agents call a tool over and over (a runaway loop)
        String session = loopingTeam("kl");
        String root = send(session, "loop", 0).statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode children = tree(root).get("children");
            return children.size() == 2 && modelCalls(tree(root)).values().stream().filter(c -> c >= 3).count() >= 2;
        });

        // When an operator kills the session
        admin().post("/v1/sessions/" + session + "/kill").then().statusCode(200)
                .body("killed.by", notNullValue()).body("killed.at", notNullValue());
        Map<String, Integer> atKill = modelCalls(tree(root));

        // Then every run of the tree ends cancelled, soon, without waiting for the loop to run out
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(tree(root)).values().stream()
                .allMatch("cancelled"::equals));
        // and each made at most one more model call after the kill (the one in flight), and no run started
        Map<String, Integer> after = modelCalls(tree(root));
        assertThat(after.keySet()).isEqualTo(atKill.keySet());
        int more = 0;
        for (Map.Entry<String, Integer> run : after.entrySet()) {
            assertThat(run.getValue() - atKill.get(run.getKey())).as("model calls of run %s after the kill", run.getKey())
                    .isLessThanOrEqualTo(1);
            more += run.getValue() - atKill.get(run.getKey());
        }
        int consumed = LOOP_REPLIES * 2 - BerthTestResource.fake().pendingRoutedReplies();
        System.out.printf("kill switch: %d runs, %d model calls at the kill, %d more after it, %d replies consumed%n",
                after.size(), atKill.values().stream().mapToInt(Integer::intValue).sum(), more, consumed);
        // and nothing keeps calling the model: the loop's script stays where the kill left it
        int pending = BerthTestResource.fake().pendingRoutedReplies();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> BerthTestResource.fake().pendingRoutedReplies() == pending);
    }

    @Test
    void aKilledSessionRefusesInputUntilReopenedAndAKillTwiceKeepsTheFirst() throws Exception {
        // Given a session with a run waiting for its client
        define("kk-desk", Map.of("clientTools", List.of(Map.of("name", "pick", "description", "pick one",
                "parameters", Map.of("type", "object")))));
        BerthTestResource.fake().route(marker("kk-desk"), FakeReply.toolCall("pick", "{}"));
        String session = openSession("kk-desk");
        String run = send(session, "choose", 30).body("status", equalTo("requires_action")).extract().path("id");
        JsonNode call = JSON.readTree(admin().get("/v1/runs/" + run).then().extract().asString())
                .at("/requiredAction/calls/0");
        String callId = call.get("callId").asText();
        assertThat(call.get("argumentsDigest").asText()).startsWith("sha256:").hasSize(71);

        // When it is killed, twice
        JsonNode first = JSON.readTree(admin().post("/v1/sessions/" + session + "/kill").then().statusCode(200)
                .extract().asString());
        JsonNode second = JSON.readTree(admin().post("/v1/sessions/" + session + "/kill").then().statusCode(200)
                .extract().asString());

        // Then the paused run is cancelled, and the second kill kept the first one's who and when
        admin().get("/v1/runs/" + run).then().body("status", equalTo("cancelled"));
        assertThat(second.get("killed")).isEqualTo(first.get("killed"));
        long lastSeq = second.get("lastSeq").asLong();
        // and input is refused with a clear 409, and so is an answer to its run, writing nothing
        send(session, "again", 0).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://berth.dev/problems/session-killed"));
        admin().body(Map.of("actions", List.of(Map.of("callId", callId, "output", "a"))))
                .post("/v1/runs/" + run + "/actions").then().statusCode(409)
                .body("type", equalTo("https://berth.dev/problems/session-killed"));
        admin().get("/v1/sessions/" + session).then().body("lastSeq", equalTo((int) lastSeq));

        // When it is reopened, input is taken again
        BerthTestResource.fake().route(marker("kk-desk"), FakeReply.text("back"));
        admin().post("/v1/sessions/" + session + "/reopen").then().statusCode(200).body("killed", nullValue());
        send(session, "again", 30).statusCode(200).body("output", equalTo("back"));
    }

    @Test
    void killAndReopenOfAnUnknownSessionAre404AndTheSessionShowsWhoOpenedIt() {
        String unknown = java.util.UUID.randomUUID().toString();
        admin().post("/v1/sessions/" + unknown + "/kill").then().statusCode(404)
                .body("type", equalTo("https://berth.dev/problems/not-found"));
        admin().post("/v1/sessions/" + unknown + "/reopen").then().statusCode(404);
        define("kk-plain", Map.of());
        String session = openSession("kk-plain");
        admin().get("/v1/sessions/" + session).then().body("openedBy", notNullValue()).body("killed", nullValue());
    }

    /** A boss that starts two workers, each calling a tool over and over. */
    static String loopingTeam(String prefix) {
        String worker = prefix + "-worker";
        String boss = prefix + "-boss";
        define(worker, Map.of("tools", List.of("current_time"), "limits", Map.of("maxSteps", 100)));
        define(boss, Map.of("subAgents", List.of(worker)));
        BerthTestResource.fake().route(marker(boss),
                FakeReply.toolCalls(new ToolCall("w1", "agent__" + worker, "{\"input\":\"loop one\"}"),
                        new ToolCall("w2", "agent__" + worker, "{\"input\":\"loop two\"}")));
        FakeReply[] loop = new FakeReply[LOOP_REPLIES * 2];
        for (int i = 0; i < loop.length; i++) {
            loop[i] = FakeReply.toolCall("current_time", "{}").withLatency(Duration.ofMillis(50));
        }
        BerthTestResource.fake().route(marker(worker), loop);
        return openSession(boss);
    }

    /** Model calls of every run of the tree, by run id. */
    static Map<String, Integer> modelCalls(JsonNode tree) {
        Map<String, Integer> calls = new HashMap<>();
        walk(tree, node -> calls.put(node.get("run").get("id").asText(), node.get("run").get("modelCalls").asInt()));
        return calls;
    }

    static Map<String, String> statuses(JsonNode tree) {
        Map<String, String> statuses = new HashMap<>();
        walk(tree, node -> statuses.put(node.get("run").get("id").asText(), node.get("run").get("status").asText()));
        return statuses;
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        visit.accept(node);
        node.get("children").forEach(child -> walk(child, visit));
    }
}
