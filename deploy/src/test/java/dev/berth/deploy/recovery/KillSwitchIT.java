package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kill switch across real processes (ADR 0033): a looping team runs on two Berth processes, an
 * operator kills its session through the process that does not run the first worker, and every run
 * of the tree stops within one step, wherever it runs; the other process refuses input too.
 */
class KillSwitchIT {
    private static final int LOOP_REPLIES = 100;

    @Test
    void aKillSentToOneProcessStopsALoopingTeamRunningOnAnother() throws Exception {
        try (Cluster cluster = Cluster.start(2, Duration.ofMillis(20))) {
            // Given a boss whose two workers call a tool over and over, running on the cluster
            BerthClient api = cluster.client(0);
            TeamTakeoverIT.define(api, "loop-worker", Map.of("tools", List.of("current_time"), "limits", Map.of("maxSteps", 100)));
            TeamTakeoverIT.define(api, "loop-boss", Map.of("subAgents", List.of("loop-worker")));
            cluster.fake().route("[agent:loop-boss]",
                    FakeReply.toolCalls(new ToolCall("w1", "agent__loop-worker", "{\"input\":\"one\"}"),
                            new ToolCall("w2", "agent__loop-worker", "{\"input\":\"two\"}")));
            FakeReply[] loop = new FakeReply[LOOP_REPLIES * 2];
            for (int i = 0; i < loop.length; i++) {
                loop[i] = FakeReply.toolCall("current_time", "{}").withLatency(Duration.ofMillis(50));
            }
            cluster.fake().route("[agent:loop-worker]", loop);
            String session = api.openSession("loop-boss", "loop-owner");
            String root = api.submit(session, "loop").body().path("id").asText();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<String, Integer> calls = modelCalls(tree(api, root));
                return calls.size() == 3 && calls.values().stream().filter(c -> c >= 3).count() >= 2;
            });
            String firstWorker = tree(api, root).path("children").path(0).path("run").path("id").asText();
            String owner = cluster.runColumn(firstWorker, "lease_owner");
            assertThat(owner).as("the first worker is running on a process").isNotNull();
            BerthClient other = cluster.client(cluster.indexOf(owner) == 0 ? 1 : 0);

            // When an operator kills the session through the other process
            BerthClient.Reply kill = other.send("POST", "/v1/sessions/" + session + "/kill", null, Duration.ofSeconds(10));
            assertThat(kill.status()).as("kill: %s", kill.body()).isEqualTo(200);
            Map<String, Integer> atKill = modelCalls(tree(api, root));

            // Then every run of the tree is cancelled soon, each after at most one more model call
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statuses(tree(api, root)).stream().allMatch("cancelled"::equals));
            Map<String, Integer> after = modelCalls(tree(api, root));
            int more = 0;
            for (Map.Entry<String, Integer> run : after.entrySet()) {
                assertThat(run.getValue() - atKill.get(run.getKey())).as("model calls of %s after the kill", run.getKey())
                        .isLessThanOrEqualTo(1);
                more += run.getValue() - atKill.get(run.getKey());
            }
            System.out.printf("kill switch across processes: worker on %s, kill sent to the other; %d runs,"
                    + " %d model calls at the kill, %d more after it%n", owner, after.size(),
                    atKill.values().stream().mapToInt(Integer::intValue).sum(), more);
            // and the process that ran the worker refuses input to the killed session
            BerthClient.Reply input = cluster.client(cluster.indexOf(owner))
                    .send("POST", "/v1/sessions/" + session + "/messages", Map.of("text", "more"), Duration.ofSeconds(10));
            assertThat(input.status()).isEqualTo(409);
            assertThat(input.body().path("type").asText()).isEqualTo("https://berth.dev/problems/session-killed");
        }
    }

    private static JsonNode tree(BerthClient api, String root) throws Exception {
        return api.send("GET", "/v1/runs/" + root + "/tree", null, Duration.ofSeconds(10)).body();
    }

    private static Map<String, Integer> modelCalls(JsonNode node) {
        Map<String, Integer> calls = new HashMap<>();
        collect(node, calls);
        return calls;
    }

    private static void collect(JsonNode node, Map<String, Integer> calls) {
        calls.put(node.path("run").path("id").asText(), node.path("run").path("modelCalls").asInt());
        node.path("children").forEach(child -> collect(child, calls));
    }

    private static List<String> statuses(JsonNode node) {
        List<String> statuses = new java.util.ArrayList<>();
        statuses.add(node.path("run").path("status").asText());
        node.path("children").forEach(child -> statuses.addAll(statuses(child)));
        return statuses;
    }
}
