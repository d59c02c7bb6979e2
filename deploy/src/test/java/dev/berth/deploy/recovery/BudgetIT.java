package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's call budget across two Berth processes on one database (ADR 0032): each process runs
 * at most two runs at once, so four looping runs of one tenant are spread over both; together they
 * pass the budget by at most one model call per run, every run fails with budget_exceeded, and the
 * counters hold exactly the calls the model got.
 */
class BudgetIT {
    private static final int BUDGET = 10;
    private static final int RUNS = 4;
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() {
        cluster = Cluster.start(2, FakeOptions.defaults().withLatency(Duration.ofMillis(100)), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Map.of("BERTH_BUDGET_TENANT_DAY_CALLS", Integer.toString(BUDGET),
                        "BERTH_ENGINE_MAX_CONCURRENT_RUNS", "2"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void fourLoopingRunsOnTwoProcessesPassTheTenantsCallBudgetByAtMostOneCallEach() throws Exception {
        // Given a tenant budget of 10 model calls a day, and a model that always calls a tool
        assertThat(cluster.client(0).send("PUT", "/v1/agents/looper", Map.of("instructions", "Loop.", "model", "m",
                "tools", List.of("current_time"), "limits", Map.of("maxSteps", 100)), Duration.ofSeconds(10)).status())
                .isEqualTo(201);
        cluster.fake().enqueue(IntStream.range(0, 100).mapToObj(i -> (FakeReply) new FakeReply.ToolCalls(
                List.of(new ToolCall("c" + i, "current_time", "{\"timeZone\":\"UTC\"}")), null)).toArray(FakeReply[]::new));

        // When four sessions get a message each, two through each process
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            BerthClient client = cluster.client(i % 2);
            String session = client.openSession("looper", "actor-" + i);
            runs.add(client.submit(session, "Loop").text("id"));
        }

        // Then every run fails with budget_exceeded
        int callsOfRuns = 0;
        for (String run : runs) {
            JsonNode settled = cluster.settled(run);
            assertThat(settled.path("status").asText()).as("run %s", settled).isEqualTo("failed");
            assertThat(settled.path("error").path("code").asText()).isEqualTo("budget_exceeded");
            callsOfRuns += settled.path("modelCalls").asInt();
        }
        // and the model got at least the budget and at most one call more per run
        int calls = cluster.fake().requests().size();
        assertThat(calls).isBetween(BUDGET, BUDGET + RUNS);
        // and the runs and the tenant's counter hold exactly those calls
        assertThat(callsOfRuns).isEqualTo(calls);
        assertThat(tenantDayCalls()).isEqualTo(calls);
        System.out.printf("budget across two processes: %d model calls for a budget of %d, %d runs%n", calls, BUDGET,
                RUNS);
    }

    private static long tenantDayCalls() throws Exception {
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(
                "select sum(calls) from usage_counters where scope = 'tenant' and period = 'day'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
