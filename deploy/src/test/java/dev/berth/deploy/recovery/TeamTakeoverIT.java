package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Agent teams across three real processes: the process running a sub-agent's child run is
 * killed (SIGKILL) in the middle of the child's model call; another process takes the child
 * over when its lease expires, and the waiting parent, which held no lease, still completes.
 */
class TeamTakeoverIT {
    private static final Duration SLOW = Duration.ofSeconds(30);

    @Test
    void aChildWhoseProcessIsKilledIsTakenOverAndTheParentStillCompletes() throws Exception {
        try (Cluster cluster = Cluster.start(3, Duration.ofMillis(50))) {
            // Given a supervisor with two sub-agents; one answers at once, the other's first model call hangs
            BerthClient api = cluster.client(0);
            define(api, "quick", Map.of());
            define(api, "stuck", Map.of());
            define(api, "boss", Map.of("subAgents", List.of("quick", "stuck")));
            cluster.fake().route("[agent:boss]",
                    FakeReply.toolCalls(new ToolCall("q", "agent__quick", "{\"input\":\"fast part\"}"),
                            new ToolCall("s", "agent__stuck", "{\"input\":\"slow part\"}")),
                    FakeReply.text("Both parts are done."));
            cluster.fake().route("[agent:quick]", FakeReply.text("fast result"));
            cluster.fake().route("[agent:stuck]", FakeReply.text("never delivered").withLatency(SLOW),
                    FakeReply.text("slow result"));
            String session = api.openSession("boss", "team-owner");
            String parent = api.submit(session, "Do both parts").body().path("id").asText();

            // When the process running the stuck child is killed during its model call
            JsonNode stuck = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> child(api, parent, "s"), c -> c != null
                            && "running".equals(c.path("run").path("status").asText())
                            && cluster.runColumn(c.path("run").path("id").asText(), "lease_owner") != null);
            String stuckRun = stuck.path("run").path("id").asText();
            String owner = cluster.runColumn(stuckRun, "lease_owner");
            await().atMost(Duration.ofSeconds(10)).until(() -> stuckModelCalls(cluster) >= 1);
            // (the quick child has committed its answer by then, so only the stuck one is cut short)
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> child(api, parent, "q"), c -> c != null
                            && "completed".equals(c.path("run").path("status").asText()));
            cluster.process(cluster.indexOf(owner)).kill();

            // Then another process takes the child over and the parent completes with both answers
            BerthClient survivor = cluster.client(cluster.indexOf(owner) == 0 ? 1 : 0);
            JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> survivor.run(parent, 5).body(),
                            run -> run != null && List.of("completed", "failed", "cancelled")
                                    .contains(run.path("status").asText()));
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("output").asText()).isEqualTo("Both parts are done.");
            assertThat(cluster.runColumn(stuckRun, "lease_epoch")).as("the child was claimed twice").isEqualTo("2");
            assertThat(cluster.runColumn(stuckRun, "lease_owner")).isNull();
            assertThat(stuckModelCalls(cluster)).isEqualTo(2);
            List<String> results = survivor.events(session).stream()
                    .filter(e -> "tool.result".equals(e.path("type").asText()))
                    .map(e -> e.path("data").path("output").asText()).toList();
            assertThat(results).containsExactlyInAnyOrder("fast result", "slow result");
            JsonNode tree = survivor.send("GET", "/v1/runs/" + parent + "/tree", null, Duration.ofSeconds(10)).body();
            assertThat(tree.path("children")).extracting(c -> c.path("run").path("status").asText())
                    .containsOnly("completed");
        }
    }

    private static long stuckModelCalls(Cluster cluster) {
        return cluster.fake().requests().stream()
                .filter(r -> r.path("messages").path(0).path("content").asText("").contains("[agent:stuck]"))
                .count();
    }

    private static JsonNode child(BerthClient api, String parent, String callId) throws Exception {
        JsonNode tree = api.send("GET", "/v1/runs/" + parent + "/tree", null, Duration.ofSeconds(10)).body();
        if (tree == null) {
            return null;
        }
        for (JsonNode child : tree.path("children")) {
            if (callId.equals(child.path("callId").asText())) {
                return child;
            }
        }
        return null;
    }

    /** Defines an agent whose instructions carry its fake-model route marker, {@code [agent:name]}. */
    static void define(BerthClient api, String name, Map<String, Object> extra) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("instructions", "You are " + name + ". [agent:" + name + "]");
        body.put("model", "test-model");
        body.putAll(extra);
        BerthClient.Reply reply = api.send("PUT", "/v1/agents/" + name, body, Duration.ofSeconds(10));
        assertThat(reply.status()).as("PUT agent %s: %s", name, reply.body()).isEqualTo(201);
    }
}
