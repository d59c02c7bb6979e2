package dev.berth.bench.scenario;

import dev.berth.bench.harness.CpuMeter;
import dev.berth.bench.http.TurnResult;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Scenario 1: latency of a three-step turn (model, tool, model) in one session, one after another.
 *
 * <p>Measured on a warm process, as a pod that has served for a while is: with the 0 ms model the
 * first {@value #WARMUP_FAST} turns warm up the JIT (the hot path is compiled after a few thousand
 * calls of each method) and fill the context window. They are timed too, and reported as the
 * cold process's figures, so the price of a fresh pod is not hidden.
 */
public final class TurnOverhead {
    static final int WARMUP_FAST = 1500;
    private static final int WARMUP_SLOW = 3;

    private TurnOverhead() {
    }

    public static Section run(ScenarioContext ctx) {
        int turns = ctx.sizes().overheadTurns();
        int warmup = ctx.latencyMs() == 0 ? WARMUP_FAST : WARMUP_SLOW;
        UUID session = ctx.client().openSession(ScenarioContext.AGENT, "overhead");
        List<TurnResult> cold = new ArrayList<>();
        for (int i = 0; i < warmup; i++) {
            cold.add(ctx.client().turn(session, ScenarioContext.TEXT));
        }
        List<TurnResult> results = new ArrayList<>();
        CpuMeter cpu = ctx.cpu();
        CpuMeter.Reading before = cpu.read();
        for (int i = 0; i < turns; i++) {
            results.add(ctx.client().turn(session, ScenarioContext.TEXT));
        }
        CpuMeter.Usage used = cpu.read().since(before);
        TurnStats stats = TurnStats.of(results);
        LatencySummary client = stats.client();
        LatencySummary server = stats.server();
        Section s = new Section("1-turn-overhead-" + ctx.latencyMs(), "1. Turn overhead (" + ctx.label() + ")")
                .config("model latency ms", ctx.latencyMs()).config("turns measured", turns)
                .config("warm-up turns", warmup).config("session", "one, sequential");
        boolean t = ctx.targetsApply();
        s.figure(t ? Figure.atMost("turn latency p50", client.p50Ms(), "ms", 15, "< 15 ms")
                : Figure.of("turn latency p50", client.p50Ms(), "ms"));
        s.figure(Figure.of("turn latency p95", client.p95Ms(), "ms"));
        s.figure(t ? Figure.atMost("turn latency p99", client.p99Ms(), "ms", 50, "< 50 ms")
                : Figure.of("turn latency p99", client.p99Ms(), "ms"));
        s.figure(Figure.of("turn latency mean", client.meanMs(), "ms"));
        s.figure(Figure.of("turn latency max", client.maxMs(), "ms"));
        if (ctx.latencyMs() == 0) {
            LatencySummary coldest = TurnStats.of(cold.subList(0, Math.min(100, cold.size()))).client();
            s.figure(Figure.of("cold process: turn latency p50 of its first 100 turns", coldest.p50Ms(), "ms"));
            s.figure(Figure.of("cold process: turn latency p99 of its first 100 turns", coldest.p99Ms(), "ms"));
        }
        s.figure(Figure.of("server-side p50 (input committed to run finished)", server.p50Ms(), "ms"));
        s.figure(Figure.of("server-side p99", server.p99Ms(), "ms"));
        s.figure(Figure.of("client p50 minus server p50 (HTTP, submit, waking the wait)",
                client.p50Ms() - server.p50Ms(), "ms"));
        s.figure(Figure.of("steps per turn", stats.stepsPerTurn(), "steps"));
        s.figure(Figure.of("turns not completed", stats.notCompleted(), "turns"));
        s.figure(Figure.of("HTTP requests re-sent after a dropped connection (whole run so far)",
                ctx.client().retries(), "requests"));
        s.figure(Figure.of("Berth CPU per turn", used.berthCpuMs() / turns, "ms"));
        s.figure(Figure.of("benchmark JVM (driver and fake model) CPU per turn", used.benchCpuMs() / turns, "ms"));
        s.figure(Figure.of("machine busy during the turns (all processes)", used.machineBusyCores(), "cores"));
        s.detail("latency ms per measured turn", results.stream().mapToDouble(r -> r.clientNanos() / 1e6).toArray());
        s.detail("latency ms per warm-up turn", cold.stream().mapToDouble(r -> r.clientNanos() / 1e6).toArray());
        ServerTimeline.addTo(s, ctx.probe(), results.stream().map(TurnResult::runId).toList());
        s.note("Client-side latency: from sending POST /v1/sessions/{id}/messages?wait=60 to the settled run"
                + " arriving; server-side: the run's finishedAt minus createdAt. The server timeline comes from the"
                + " runs' and events' timestamps (PostgreSQL now(): the start of each writing transaction).");
        return s;
    }
}
