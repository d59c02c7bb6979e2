package dev.berth.bench;

import dev.berth.bench.db.DbProbe;
import dev.berth.bench.db.PgWireProxy;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.report.MarkdownReport;
import dev.berth.bench.report.ReportWriter;
import dev.berth.bench.report.Section;
import dev.berth.bench.report.SvgChart;
import dev.berth.bench.scenario.DbCost;
import dev.berth.bench.scenario.Growth;
import dev.berth.bench.scenario.IdleHeap;
import dev.berth.bench.scenario.Outage;
import dev.berth.bench.scenario.PgbenchLimit;
import dev.berth.bench.scenario.PoolerLatency;
import dev.berth.bench.scenario.Results;
import dev.berth.bench.scenario.ScenarioContext;
import dev.berth.bench.scenario.Takeover;
import dev.berth.bench.scenario.Throughput;
import dev.berth.bench.scenario.TurnOverhead;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The benchmark command: for each model latency, starts the fake model, a fresh database and
 * Berth, runs the scenarios in order and prints each one's figures as it finishes; then writes
 * results.json, results.md and the charts.
 */
public final class BenchMain {
    private final BenchOptions options;
    private final Results results = new Results();
    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final Vertx vertx = Vertx.vertx();

    private BenchMain(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BenchMain bench = new BenchMain(options);
        int status = 0;
        try {
            bench.run();
        } catch (RuntimeException | LinkageError e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.write();
            bench.vertx.closeAndAwait();
        }
        System.exit(status);
    }

    private void run() {
        try {
            // Before any Berth starts: a JFR recording fails the JVM if its directory is missing.
            java.nio.file.Files.createDirectories(options.out());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        environment.put("started", Instant.now().toString());
        environment.put("cpus", Runtime.getRuntime().availableProcessors());
        environment.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        environment.put("options", options.toString());
        environment.put("load average at start", Host.loadAverage());
        environment.put("berth commit", options.label() != null ? options.label() : Host.gitHead());
        environment.put("berth jar built", Host.jarBuilt());
        List<Integer> latencies = options.target() != null ? List.of(-1) : options.latenciesMs();
        for (int latency : latencies) {
            try {
                runConfiguration(latency);
            } catch (RuntimeException | LinkageError e) {
                // E.g. Berth did not start: record it and go on with the next configuration.
                e.printStackTrace();
                results.add(new Section("error-" + latency, "Configuration with a " + latency + " ms model failed")
                        .note(String.valueOf(e)));
            }
        }
        if (options.runs(7) && options.target() == null) {
            scenario(() -> Takeover.run(vertx, options.takeoverRuns(), Map.of()));
        }
        if (options.runs(8) && options.target() == null) {
            scenario(() -> PoolerLatency.run(vertx, options.poolerTurns()));
        }
        if (options.runs(9) && options.target() == null) {
            scenario(() -> Outage.run(vertx, options.outagesSeconds(), options.outageRuns()));
        }
        environment.put("load average at end", Host.loadAverage());
        environment.put("finished", Instant.now().toString());
    }

    private void runConfiguration(int latencyMs) {
        if (!(options.runs(1) || options.runs(2) || options.runs(3) || options.runs(4)
                || (latencyMs <= 0 && (options.runs(5) || options.runs(6))))) {
            return;
        }
        System.out.printf("%n=== Configuration: fake model latency %d ms ===%n", latencyMs);
        FakeModelServer fake = latencyMs < 0 ? null : FakeModelServer.startAndAwait(vertx,
                FakeOptions.defaults().withLatency(Duration.ofMillis(latencyMs)));
        try {
            if (options.runs(4) && fake != null) {
                dbCost(latencyMs, fake);
            }
            if (!(options.runs(1) || options.runs(2) || options.runs(3)
                    || (latencyMs <= 0 && (options.runs(5) || options.runs(6))))) {
                return;
            }
            try (BerthUnderTest berth = mainBerth(latencyMs, fake); DbProbe probe = new DbProbe(berth.jdbcUrl())) {
                environment.putIfAbsent("postgresql", probe.serverVersion());
                environment.putIfAbsent("pg_stat_statements", probe.pgStatStatementsStatus());
                berth.client().putAgent(ScenarioContext.AGENT, List.of("current_time"));
                ScenarioContext ctx = new ScenarioContext(options, latencyMs, berth, probe, results);
                if (options.runs(4) && fake == null) {
                    scenario(() -> new Section("4-db-cost", "4. Database cost per step")
                            .note("Not measured against --target: needs Berth behind the statement-counting proxy."));
                }
                if (options.runs(1)) {
                    scenario(() -> TurnOverhead.run(ctx));
                }
                if (options.runs(2)) {
                    scenario(() -> Growth.run(ctx));
                }
                if (options.runs(3)) {
                    scenario(() -> Throughput.run(ctx));
                }
                if (options.runs(6) && latencyMs <= 0) {
                    scenario(() -> IdleHeap.run(ctx));
                }
                berth.stopProcess(); // frees its connections for pgbench
                if (options.runs(5) && latencyMs <= 0) {
                    URI db = URI.create(berth.jdbcUrl().substring(5).replace("postgresql://", "http://"));
                    scenario(() -> {
                        Section s = PgbenchLimit.run(probe, db.getHost(), db.getPort(), berth.databaseName(),
                                options.sizes(0).levels(), options.pgbenchDuration(), results.stepsPerSecondFast());
                        PgbenchLimit.chart(s, results);
                        return s;
                    });
                }
            }
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
    }

    private BerthUnderTest mainBerth(int latencyMs, FakeModelServer fake) {
        BenchOptions.Target t = options.target();
        if (t != null) {
            return BerthUnderTest.external(t.url(), t.key(), t.dbUrl(), t.pid());
        }
        Map<String, String> env = engineEnv();
        if (options.jfr()) {
            String recording = "-XX:StartFlightRecording=filename="
                    + options.out().resolve("berth-" + latencyMs + "ms.jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true";
            env.merge("JAVA_TOOL_OPTIONS", recording, (given, jfr) -> given + " " + jfr);
        }
        return BerthUnderTest.start("bench-" + latencyMs + "ms", PostgresDatabase.create(), fake.openAiBaseUrl(),
                env, null);
    }

    private void dbCost(int latencyMs, FakeModelServer fake) {
        scenario(() -> dbCostScenario(latencyMs, fake));
    }

    private Section dbCostScenario(int latencyMs, FakeModelServer fake) {
        try (PgWireProxy proxy = PgWireProxy.start("127.0.0.1", 5432);
                BerthUnderTest berth = BerthUnderTest.start("bench-dbcost-" + latencyMs + "ms",
                        PostgresDatabase.create(), fake.openAiBaseUrl(), engineEnv(), proxy.port());
                DbProbe probe = new DbProbe(berth.jdbcUrl())) {
            berth.client().putAgent(ScenarioContext.AGENT, List.of("current_time"));
            String pss = probe.pgStatStatementsStatus();
            ScenarioContext ctx = new ScenarioContext(options, latencyMs, berth, probe, results);
            return DbCost.run(ctx, proxy.tally(), pss + "; statements counted on the wire instead");
        }
    }

    private Map<String, String> engineEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        if (options.maxConcurrentRuns() != null) {
            env.put("BERTH_ENGINE_MAX_CONCURRENT_RUNS", options.maxConcurrentRuns().toString());
        }
        if (options.berthJavaOptions() != null) {
            env.put("JAVA_TOOL_OPTIONS", options.berthJavaOptions());
        }
        return env;
    }

    /** Runs one scenario, records it and prints its figures last; a failure is recorded, not fatal. */
    private void scenario(Supplier<Section> body) {
        long start = System.nanoTime();
        Section s;
        try {
            s = body.get();
        } catch (RuntimeException | LinkageError e) {
            // Recorded and reported; the other scenarios still run (a LinkageError: a jar changed under us).
            e.printStackTrace();
            s = new Section("error", "A scenario failed").note(String.valueOf(e));
        }
        s.config("scenario seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        results.add(s);
        System.out.println();
        System.out.println(MarkdownReport.section(s));
    }

    private void write() {
        SvgChart latency = new SvgChart("Turn latency against session length (median of each 10 turns)",
                "turn number in the session", "turn latency, ms (log scale)", false, true,
                results.chart("latency-vs-session-length"));
        SvgChart throughput = new SvgChart("Throughput against concurrency: Berth steps/s, pgbench inserts/s",
                "sessions (pgbench: clients) in flight, log scale", "per second (log scale)", true, true,
                results.chart("throughput-vs-concurrency"));
        Map<String, String> files = Map.of(latency.title(), "latency-vs-session-length.svg",
                throughput.title(), "throughput-vs-concurrency.svg");
        new ReportWriter(options.out()).write(environment, results.sections(), results.charts(),
                List.of(latency, throughput), files);
        System.out.println("Results written to " + options.out().toAbsolutePath());
    }
}
