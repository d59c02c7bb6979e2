package dev.berth.bench.budget;

import dev.berth.bench.db.PgWireProxy;
import dev.berth.bench.db.StatementTally;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.http.TurnResult;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What budgets (ADR 0032) cost a step: tool turns (a model call asking for {@code current_time},
 * the tool's result, the final answer: three steps) one after the other in one session, against a
 * Berth process with no budget configured, then with budgets on every window (out of reach, so every
 * check passes), each on a fresh database with its statements counted on the wire. Prints turn
 * latency and statements per turn and per step; the two must show the same statement count.
 *
 * <p>Usage: {@code StepCost [turns]} (default 200).
 */
public final class StepCost {
    private static final int WARM_UP = 20;
    private static final String FAR = "1000000000000";

    private StepCost() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Vertx vertx = Vertx.vertx();
        try (FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults())) {
            measure(fake, "off", Map.of(), turns);
            measure(fake, "on", Map.of("BERTH_BUDGET_TENANT_DAY_TOKENS", FAR, "BERTH_BUDGET_TENANT_MONTH_CALLS", FAR,
                    "BERTH_BUDGET_AGENT_DAY_CALLS", FAR, "BERTH_BUDGET_SESSION_MONTH_TOKENS", FAR), turns);
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void measure(FakeModelServer fake, String label, Map<String, String> env, int turns) throws Exception {
        try (PgWireProxy proxy = PgWireProxy.start("127.0.0.1", 5432);
                BerthUnderTest berth = BerthUnderTest.start("bench-budget-" + label, PostgresDatabase.create(),
                        fake.openAiBaseUrl(), env, proxy.port())) {
            BerthClient client = berth.client();
            client.putAgent("stepper", List.of("current_time"));
            UUID session = client.openSession("stepper", "bench");
            run(fake, client, session, WARM_UP);
            StatementTally.Snapshot before = proxy.tally().snapshot();
            List<TurnResult> results = run(fake, client, session, turns);
            StatementTally.Snapshot spent = proxy.tally().snapshot().minus(before);
            long steps = results.stream().mapToLong(TurnResult::steps).sum();
            long[] millis = results.stream().mapToLong(r -> r.clientNanos() / 1_000_000).sorted().toArray();
            long commits = spent.byText().entrySet().stream().filter(e -> e.getKey().contains("berth_commit_step"))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.printf(Locale.ROOT,
                    "budgets %-3s: %d tool turns, %d steps: turn p50 %d ms, p99 %d ms; %.2f statements per turn,"
                            + " %.2f statements per step (wire, incl. BEGIN/COMMIT), %.2f step commits per step%n",
                    label, turns, steps, millis[millis.length / 2], millis[(int) (millis.length * 0.99)],
                    (double) spent.statements() / turns, (double) spent.statements() / steps, (double) commits / steps);
            spent.byText().forEach((sql, count) -> System.out.printf(Locale.ROOT, "    %,8d  %s%n", count, sql));
        }
    }

    private static List<TurnResult> run(FakeModelServer fake, BerthClient client, UUID session, int turns) {
        List<TurnResult> results = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            fake.enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("c" + i, "current_time", "{\"timeZone\":\"UTC\"}")),
                    null), FakeReply.text("It is late."));
            TurnResult turn = client.turn(session, "What time is it? " + i);
            if (!turn.completed()) {
                throw new IllegalStateException("turn " + i + " ended " + turn.status());
            }
            results.add(turn);
        }
        return results;
    }
}
