package dev.berth.bench.scenario;

import dev.berth.bench.harness.CpuMeter;
import dev.berth.bench.http.TurnResult;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Scenario 1: latency of a three-step turn (model, tool, model) in one session, one after another. */
public final class TurnOverhead {

    private TurnOverhead() {
    }

    public static Section run(ScenarioContext ctx) {
        int turns = ctx.sizes().overheadTurns();
        int warmup = ctx.latencyMs() == 0 ? 20 : 3;
        UUID session = ctx.client().openSession(ScenarioContext.AGENT, "overhead");
        for (int i = 0; i < warmup; i++) {
            ctx.client().turn(session, ScenarioContext.TEXT);
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
        ServerTimeline.addTo(s, ctx.probe(), results.stream().map(TurnResult::runId).toList());
        s.note("Client-side latency: from sending POST /v1/sessions/{id}/messages?wait=60 to the settled run"
                + " arriving; server-side: the run's finishedAt minus createdAt. The server timeline comes from the"
                + " runs' and events' timestamps (PostgreSQL now(): the start of each writing transaction).");
        return s;
    }
}
