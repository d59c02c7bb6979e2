package dev.berth.bench.scenario;

import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Scenario 3: turns per second with 1, 16, 64, 256 (and more) sessions in flight on one process. */
public final class Throughput {

    private Throughput() {
    }

    public static Section run(ScenarioContext ctx) {
        Duration window = ctx.sizes().levelDuration();
        Duration warmup = ctx.latencyMs() == 0 ? Duration.ofSeconds(3) : Duration.ofSeconds(5);
        Section s = new Section("3-throughput-" + ctx.latencyMs(), "3. Throughput (" + ctx.label() + ")")
                .config("model latency ms", ctx.latencyMs()).config("levels", ctx.sizes().levels())
                .config("measured seconds per level", window.toSeconds()).config("warm-up seconds", warmup.toSeconds())
                .config("max concurrent runs", ctx.options().maxConcurrentRuns() == null ? "Berth default (64)"
                        : ctx.options().maxConcurrentRuns());
        for (int level : ctx.sizes().levels()) {
            measureLevel(ctx, s, level, warmup, window);
        }
        s.figure(Figure.of("HTTP requests re-sent after a dropped connection (whole run so far)",
                ctx.client().retries(), "requests"));
        s.note("Closed loop: each session sends its next input as soon as the previous turn settles."
                + " Steps/s = turns/s x the measured steps per turn. CPU from /proc over the measured window;"
                + " 'machine busy' counts every process (PostgreSQL, the benchmark with the fake model, others).");
        return s;
    }

    private static void measureLevel(ScenarioContext ctx, Section s, int level, Duration warmup, Duration window) {
        List<UUID> sessions = Sessions.open(ctx.client(), level, "load-" + level, Duration.ofMinutes(5));
        ClosedLoop.Outcome o = ClosedLoop.run(ctx.client(), sessions, warmup, window, Duration.ofSeconds(150),
                ctx.cpu());
        TurnStats stats = TurnStats.of(o.inWindow());
        double steps = o.turnsPerSecond() * (Double.isNaN(stats.stepsPerTurn()) ? 0 : stats.stepsPerTurn());
        String at = " @" + level;
        s.figure(Figure.of("turns/s" + at, o.turnsPerSecond(), "turns/s"));
        s.figure(Figure.of("steps/s" + at, steps, "steps/s"));
        s.figure(Figure.of("turn latency p50" + at, stats.client().p50Ms(), "ms"));
        s.figure(Figure.of("turn latency p99" + at, stats.client().p99Ms(), "ms"));
        double berthCores = o.cpu() == null ? Double.NaN : o.cpu().berthCores();
        double machineCores = o.cpu() == null ? Double.NaN : o.cpu().machineBusyCores();
        if (o.cpu() != null) {
            s.figure(Figure.of("Berth CPU" + at, berthCores, "cores"));
            s.figure(Figure.of("Berth CPU per step" + at,
                    o.cpu().berthCpuMs() / Math.max(1, steps * o.windowSeconds()), "ms"));
            s.figure(Figure.of("machine busy" + at, machineCores, "cores"));
        }
        if (o.failures() > 0 || sessions.size() < level) {
            s.figure(Figure.of("failed requests" + at, o.failures(), "requests"));
            s.note("@" + level + ": " + sessions.size() + " sessions opened; first error: " + o.firstError());
        }
        ctx.results().point("throughput-vs-concurrency", "Berth, " + ctx.label(), level, steps);
        if (ctx.latencyMs() == 0) {
            ctx.results().stepsPerSecondFast().put(level, steps);
        }
        System.out.printf("  level %d: %.1f turns/s, p50 %.1f ms, p99 %.1f ms, failures %d, Berth %.2f cores,"
                + " machine %.2f cores%n", level, o.turnsPerSecond(), stats.client().p50Ms(), stats.client().p99Ms(),
                o.failures(), berthCores, machineCores);
    }
}
