package dev.berth.deploy.teams;

import static dev.berth.deploy.teams.TeamApi.admin;
import static dev.berth.deploy.teams.TeamApi.define;
import static dev.berth.deploy.teams.TeamApi.events;
import static dev.berth.deploy.teams.TeamApi.lastRequestWith;
import static dev.berth.deploy.teams.TeamApi.marker;
import static dev.berth.deploy.teams.TeamApi.openSession;
import static dev.berth.deploy.teams.TeamApi.send;
import static dev.berth.deploy.teams.TeamApi.tree;
import static dev.berth.deploy.teams.TeamApi.types;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent teams end to end over HTTP: sub-agents in parallel, handoff chains, loop limits and
 * cancellation, against the fake model (routed per agent by a marker in its instructions).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class TeamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @io.quarkus.test.common.http.TestHTTPResource
    java.net.URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aSupervisorGetsTheAnswersOfTwoSubAgentsThatWorkInParallel() throws Exception {
        // Given a supervisor with two sub-agents, each answering after a second
        define("researcher", Map.of());
        define("writer", Map.of());
        define("supervisor", Map.of("subAgents", List.of("researcher", "writer")));
        BerthTestResource.fake().route(marker("supervisor"),
                FakeReply.toolCalls(new ToolCall("c1", "agent__researcher", "{\"input\":\"Find three facts about otters\"}"),
                        new ToolCall("c2", "agent__writer", "{\"input\":\"Write a title about otters\"}")),
                FakeReply.text("Otters: facts and a title."));
        BerthTestResource.fake().route(marker("researcher"), FakeReply.text("Otters hold hands.")
                .withLatency(Duration.ofMillis(1500)));
        BerthTestResource.fake().route(marker("writer"), FakeReply.text("The Otter Files")
                .withLatency(Duration.ofMillis(1500)));
        String session = openSession("supervisor");

        // When the user asks the supervisor
        String runId = send(session, "Tell me about otters", 30)
                .body("status", equalTo("completed"))
                .body("output", equalTo("Otters: facts and a title."))
                .extract().path("id");

        // Then each sub-agent ran as a child run, at the same time, and completed
        JsonNode tree = tree(runId);
        JsonNode children = tree.get("children");
        assertThat(children).hasSize(2);
        assertThat(children).extracting(c -> c.get("run").get("status").asText()).containsOnly("completed");
        assertThat(children).extracting(c -> c.get("callId").asText()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(children).extracting(c -> c.get("depth").asInt()).containsOnly(1);
        Instant firstEnd = Instant.parse(children.get(0).get("run").get("finishedAt").asText());
        Instant secondStart = Instant.parse(children.get(1).get("run").get("startedAt").asText());
        Instant secondEnd = Instant.parse(children.get(1).get("run").get("finishedAt").asText());
        Instant firstStart = Instant.parse(children.get(0).get("run").get("startedAt").asText());
        assertThat(secondStart).as("the children overlap in time").isBefore(firstEnd);
        assertThat(firstStart).isBefore(secondEnd);
        assertThat(tree.get("totalModelCalls").asInt()).isEqualTo(4);
        assertThat(tree.get("totalUsage").get("totalTokens").asLong())
                .isGreaterThan(tree.get("run").get("usage").get("totalTokens").asLong());
        // and the parent's session tells the story, the children's answers being the tool results
        List<JsonNode> events = events(session);
        assertThat(types(events)).containsSubsequence("user.message", "assistant.message", "subagent.started",
                "subagent.started", "tool.result", "tool.result", "assistant.message");
        assertThat(types(events).stream().filter("subagent.finished"::equals)).hasSize(2);
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("tool.result"))
                .extracting(e -> e.get("data").get("output").asText())
                .containsExactlyInAnyOrder("Otters hold hands.", "The Otter Files");
        // and a child session holds the child's own conversation, started by the call's input
        JsonNode researcher = children.get(0).get("callId").asText().equals("c1") ? children.get(0) : children.get(1);
        List<JsonNode> childEvents = events(researcher.get("run").get("sessionId").asText());
        assertThat(childEvents.getFirst().get("data").get("text").asText()).isEqualTo("Find three facts about otters");
        assertThat(types(childEvents)).containsExactly("user.message", "assistant.message");
        admin().get("/v1/sessions/" + researcher.get("run").get("sessionId").asText()).then().statusCode(200)
                .body("metadata.parentSessionId", equalTo(session)).body("metadata.callId", equalTo("c1"));
        // and the supervisor's model saw both answers in its second call
        JsonNode last = lastRequestWith(marker("supervisor"));
        assertThat(last.get("messages").toString()).contains("Otters hold hands.").contains("The Otter Files");

        // and the session's stream with include=children carries the children's events, tagged, without ids
        List<String[]> streamed = stream(session, events.size() + 4);
        List<String> own = streamed.stream().filter(e -> e[0] != null).map(e -> e[0]).toList();
        assertThat(own).hasSize(events.size()).containsExactlyElementsOf(
                events.stream().map(e -> e.get("seq").asText()).toList());
        List<JsonNode> fromChildren = new ArrayList<>();
        for (String[] e : streamed) {
            if (e[0] == null) {
                fromChildren.add(JSON.readTree(e[1]));
            }
        }
        assertThat(fromChildren).extracting(e -> e.get("sessionId").asText()).containsOnly(
                children.get(0).get("run").get("sessionId").asText(), children.get(1).get("run").get("sessionId").asText());
        assertThat(fromChildren).extracting(e -> e.get("type").asText())
                .containsOnly("user.message", "assistant.message").hasSize(4);
        assertThat(fromChildren.toString()).contains("Otters hold hands.").contains("The Otter Files");
    }

    /** Reads {@code count} events from the session's stream with include=children: [id or null, data]. */
    private List<String[]> stream(String session, int count) throws Exception {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) new java.net.URL(base,
                "/v1/sessions/" + session + "/stream?include=children").openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY);
        connection.setReadTimeout(10_000);
        List<String[]> events = new ArrayList<>();
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                connection.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String id = null;
            String line;
            while (events.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    events.add(new String[] {id, line.substring(5).trim()});
                    id = null;
                }
            }
        } finally {
            connection.disconnect();
        }
        return events;
    }

    @Test
    void aHandoffChainOfThreeAgentsEndsWithTheLastAgentAnswering() throws Exception {
        // Given triage -> billing -> refunds, each handing the session on
        define("refunds", Map.of("tools", List.of("current_time")));
        define("billing", Map.of("handoffs", List.of("refunds"), "tools", List.of("current_time")));
        define("triage", Map.of("handoffs", List.of("billing")));
        BerthTestResource.fake().route(marker("triage"), FakeReply.toolCall("handoff__billing", "{}"));
        BerthTestResource.fake().route(marker("billing"),
                FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"),
                FakeReply.toolCall("handoff__refunds", "{}"));
        BerthTestResource.fake().route(marker("refunds"), FakeReply.text("Your refund is on its way."));
        String session = openSession("triage");

        // When the user writes
        send(session, "I want my money back", 30)
                .body("status", equalTo("completed"))
                .body("output", equalTo("Your refund is on its way."))
                .body("agent.name", equalTo("refunds"));

        // Then two handoffs were recorded and the session now belongs to the last agent
        List<JsonNode> handoffs = events(session).stream().filter(e -> e.get("type").asText().equals("handoff")).toList();
        assertThat(handoffs).extracting(e -> e.get("data").get("from").asText() + ">" + e.get("data").get("to").asText())
                .containsExactly("triage>billing", "billing>refunds");
        admin().get("/v1/sessions/" + session).then().statusCode(200).body("agent.name", equalTo("refunds"));
        // and the last agent saw the user's words but none of the previous agents' tool traffic
        JsonNode refundsCall = lastRequestWith(marker("refunds"));
        String messages = refundsCall.get("messages").toString();
        assertThat(messages).contains("I want my money back").doesNotContain("\"tool\"").doesNotContain("handoff__");
        assertThat(refundsCall.get("tools").toString()).contains("current_time").doesNotContain("handoff__");
        // and the next message goes to the agent the session was handed to
        BerthTestResource.fake().route(marker("refunds"), FakeReply.text("Anything else?"));
        send(session, "Thanks", 30).body("output", equalTo("Anything else?")).body("agent.name", equalTo("refunds"));
    }

    @Test
    void anAgentThatCallsItselfForeverIsStoppedByTheDepthLimit() throws Exception {
        // Given an agent that names itself as a sub-agent and a model that always calls it
        define("looper", Map.of("subAgents", List.of("looper")));
        for (int i = 0; i < 20; i++) {
            BerthTestResource.fake().route(marker("looper"),
                    FakeReply.toolCall("agent__looper", "{\"input\":\"again\"}"));
        }
        String session = openSession("looper");

        // When it runs
        String runId = send(session, "go", 30)
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("team_depth_exceeded"))
                .extract().path("id");

        // Then the tree stops at the depth limit (3 by default) and every run in it failed
        JsonNode tree = tree(runId);
        int depth = 0;
        for (JsonNode node = tree; node != null; node = node.get("children").isEmpty() ? null : node.get("children").get(0)) {
            assertThat(node.get("run").get("status").asText()).isEqualTo("failed");
            assertThat(node.get("run").get("error").get("code").asText()).isEqualTo("team_depth_exceeded");
            depth = node.get("depth").asInt();
        }
        assertThat(depth).isEqualTo(3);
        assertThat(tree.get("totalModelCalls").asInt()).isEqualTo(4);
    }

    @Test
    void cancellingAParentCancelsItsRunningChildren() throws Exception {
        // Given a boss whose two workers take very long
        define("worker", Map.of());
        define("boss", Map.of("subAgents", List.of("worker")));
        BerthTestResource.fake().route(marker("boss"),
                FakeReply.toolCalls(new ToolCall("w1", "agent__worker", "{\"input\":\"part one\"}"),
                        new ToolCall("w2", "agent__worker", "{\"input\":\"part two\"}")));
        BerthTestResource.fake().route(marker("worker"),
                FakeReply.text("late").withLatency(Duration.ofSeconds(60)),
                FakeReply.text("late").withLatency(Duration.ofSeconds(60)));
        String session = openSession("boss");
        String runId = send(session, "work", 0).statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode tree = tree(runId);
            return tree.get("run").get("status").asText().equals("waiting") && tree.get("children").size() == 2
                    && allChildren(tree, "running");
        });

        // When the parent is cancelled
        admin().post("/v1/runs/" + runId + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));

        // Then its children are cancelled too, soon, without waiting for the model
        await().atMost(Duration.ofSeconds(10)).until(() -> allChildren(tree(runId), "cancelled"));
        assertThat(tree(runId).get("run").get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void newInputToAnInterruptSessionCancelsTheWaitingParentAndItsChildren() throws Exception {
        // Given a waiting parent of an 'interrupt' session whose child takes very long
        define("slowpoke", Map.of());
        define("impatient", Map.of("subAgents", List.of("slowpoke")));
        BerthTestResource.fake().route(marker("impatient"), FakeReply.toolCall("agent__slowpoke", "{\"input\":\"x\"}"),
                FakeReply.text("Answering the new question."));
        BerthTestResource.fake().route(marker("slowpoke"), FakeReply.text("late").withLatency(Duration.ofSeconds(60)));
        String session = admin().body(Map.of("agent", "impatient", "actorId", "team-user", "inputPolicy", "interrupt"))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
        String first = send(session, "first question", 0).statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> allChildren(tree(first), "running"));

        // When new input arrives
        send(session, "never mind, second question", 30).body("status", equalTo("completed"))
                .body("output", equalTo("Answering the new question."));

        // Then the first run and its child were cancelled
        await().atMost(Duration.ofSeconds(10)).until(() -> allChildren(tree(first), "cancelled"));
        assertThat(tree(first).get("run").get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aChildThatFailsIsReportedToTheParentsModelAsAToolError() throws Exception {
        // Given a sub-agent whose run fails (the model refuses the request)
        define("fragile", Map.of());
        define("lead", Map.of("subAgents", List.of("fragile")));
        BerthTestResource.fake().route(marker("lead"),
                FakeReply.toolCall("agent__fragile", "{\"input\":\"try\"}"),
                FakeReply.text("The helper failed; sorry."));
        BerthTestResource.fake().route(marker("fragile"), FakeReply.error(400, "invalid_request_error", "bad input"));
        String session = openSession("lead");

        // When the lead runs
        send(session, "please", 30).body("status", equalTo("completed"))
                .body("output", equalTo("The helper failed; sorry."));

        // Then the tool result of the call is an error that says the child failed and why
        JsonNode result = events(session).stream().filter(e -> e.get("type").asText().equals("tool.result"))
                .findFirst().orElseThrow().get("data");
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText()).contains("fragile").contains("failed").contains("model_bad_request");
    }

    @Test
    void aTeamNamingAnUnknownAgentIsRefused() {
        given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("instructions", "x", "model", "m", "subAgents", List.of("nobody"),
                        "handoffs", List.of("ghost")))
                .put("/v1/agents/lonely")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://berth.dev/problems/validation"));
        admin().get("/v1/agents/lonely").then().statusCode(404);
    }

    @Test
    void aSessionKeepsTheTeamVersionsItStartedWith() throws Exception {
        // Given a session opened while the helper is at version 1
        define("helper", Map.of());
        define("chief", Map.of("subAgents", List.of("helper")));
        String session = openSession("chief");
        // When the helper gets a new version afterwards
        define("helper", Map.of());
        BerthTestResource.fake().route(marker("chief"), FakeReply.toolCall("agent__helper", "{\"input\":\"x\"}"),
                FakeReply.text("done"));
        BerthTestResource.fake().route(marker("helper"), FakeReply.text("ok"));
        String runId = send(session, "go", 30).body("status", equalTo("completed")).extract().path("id");
        // Then the child ran the version the session pinned, not the newest
        JsonNode child = tree(runId).get("children").get(0).get("run");
        assertThat(child.get("agent").get("name").asText()).isEqualTo("helper");
        int latest = admin().get("/v1/agents/helper").then().extract().path("version");
        assertThat(child.get("agent").get("version").asInt()).isEqualTo(latest - 1);

        // And when the session is upgraded explicitly, the next sub-agent call runs the newest version
        admin().post("/v1/sessions/" + session + "/upgrade").then().statusCode(200)
                .body("agent.name", equalTo("chief"));
        BerthTestResource.fake().route(marker("chief"), FakeReply.toolCall("agent__helper", "{\"input\":\"y\"}"),
                FakeReply.text("done again"));
        BerthTestResource.fake().route(marker("helper"), FakeReply.text("ok again"));
        String next = send(session, "again", 30).body("status", equalTo("completed")).extract().path("id");
        assertThat(tree(next).get("children").get(0).get("run").get("agent").get("version").asInt()).isEqualTo(latest);
    }

    private static boolean allChildren(JsonNode tree, String status) {
        for (JsonNode child : tree.get("children")) {
            if (!child.get("run").get("status").asText().equals(status)) {
                return false;
            }
        }
        return !tree.get("children").isEmpty();
    }
}
