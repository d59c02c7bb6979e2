package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.toolserver.BerthToolServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process killed (SIGKILL) while one of its runs executes a tool: the process that takes the
 * run over executes the call again, with the same idempotency key and marked as a retry, and
 * the run completes with one result for the call (guarantee 5; docs/recovery.md). The tool is
 * a real MCP server in the test's JVM ({@link BerthToolServer}) that records what each call was
 * told in its {@code _meta} and holds the first call until the test ends, so the first call is
 * still executing, for sure, when its process dies.
 */
class ToolKilledMidCallIT {

    /** What one execution of the tool was told by Berth. */
    record Call(String idempotencyKey, int attempt, boolean retry, String runId, String callId) {
    }

    /** The tool: records every call; holds the first until {@link #release}, answers the others at once. */
    public static final class ParcelTools {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        @Tool(description = "Ships the parcel.")
        public String shipParcel(ToolContext context) throws InterruptedException {
            calls.add(new Call(context.idempotencyKey(), context.attempt(), context.isRetry(), context.runId(),
                    context.callId()));
            if (calls.size() == 1) {
                // Bounded, so that the server's thread ends even if the test failed early.
                release.await(2, TimeUnit.MINUTES);
            }
            return "Parcel shipped (attempt " + context.attempt() + ")";
        }
    }

    @Test
    void aToolExecutingWhenItsProcessIsKilledIsExecutedAgainWithTheSameKeyAsARetry() throws Exception {
        ParcelTools tools = new ParcelTools();
        try (BerthToolServer server = BerthToolServer.builder().tools(tools).host("127.0.0.1").port(0).start();
                Cluster cluster = Cluster.start(2, FakeOptions.defaults().withLatency(Duration.ofMillis(200)),
                        Cluster.LEASE_TTL, Duration.ofSeconds(1),
                        Map.of("BERTH_TOOLS_MCP_DESK_URL", server.endpoint().toString()))) {
            // Given two processes, an agent with the tool, and a run whose tool call is executing
            cluster.client(0).defineAgent("shipper", "enqueue", List.of("desk__ship_parcel"));
            String session = cluster.client(0).openSession("shipper", "olga");
            BerthClient.Reply submitted = cluster.client(0).submit(session, "Please ship the parcel");
            assertThat(submitted.status()).as("submit answered %s", submitted.body()).isEqualTo(202);
            String run = submitted.text("id");
            await("the tool executing").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> tools.calls.size() == 1);
            int owner = cluster.indexOf(cluster.runColumn(run, "lease_owner"));
            long firstEpoch = Long.parseLong(cluster.runColumn(run, "lease_epoch"));

            // When its process is killed while the tool still executes
            cluster.process(owner).kill();

            // Then the other process takes the run over and executes the call again: same key, attempt 2, a retry
            JsonNode done = cluster.settled(run);
            tools.release.countDown();
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(tools.calls).as("executions of the tool").hasSize(2);
            Call first = tools.calls.get(0);
            Call again = tools.calls.get(1);
            String key = run + ":" + first.callId();
            assertThat(first).isEqualTo(new Call(key, 1, false, run, first.callId()));
            assertThat(again).isEqualTo(new Call(key, 2, true, run, first.callId()));
            assertThat(Long.parseLong(cluster.runColumn(run, "lease_epoch"))).as("epoch of the run's last owner")
                    .isGreaterThan(firstEpoch);
            assertThat(cluster.toolStarts(run)).containsExactly("1:" + key, "2:" + key);

            // And the run has exactly one result for the call, the retry's
            List<JsonNode> events = cluster.client(1 - owner).events(session);
            assertThat(events).extracting(e -> e.path("type").asText())
                    .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
            JsonNode result = events.get(2).path("data");
            assertThat(result.path("idempotencyKey").asText()).isEqualTo(key);
            assertThat(result.path("attempt").asInt()).isEqualTo(2);
            assertThat(result.path("retry").asBoolean()).isTrue();
            assertThat(result.toString()).contains("Parcel shipped (attempt 2)");
        } finally {
            tools.release.countDown();
        }
    }
}
