package dev.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run and how big. Sizes come in pairs: one for the zero-latency model (cheap turns)
 * and one for the 300 ms model ("slow", where a turn takes at least 600 ms). The defaults keep a
 * whole run near ten minutes on a 2-core machine; {@code --full} selects the sizes.
 */
public record BenchOptions(Set<Integer> scenarios, List<Integer> latenciesMs, Sizes fast, Sizes slow,
        int idleSessions, Duration idleBudget, Duration pgbenchDuration, int takeoverRuns, Path out, boolean jfr,
        Integer maxConcurrentRuns, Target target, String label, String berthJavaOptions, int poolerTurns,
        List<Integer> outagesSeconds, int outageRuns) {

    /** Sizes of scenarios 1 to 4 for one model latency. */
    public record Sizes(int overheadTurns, int growthTurns, List<Integer> levels, Duration levelDuration,
            int dbCostTurns) {
    }

    /** An already running Berth to measure instead of starting one (null fields: start our own). */
    public record Target(String url, String key, String dbUrl, Long pid) {
    }

    static final String USAGE = """
            Berth benchmark. Options:
              --scenarios 1,2,3,4,5,6,7,8,9 which scenarios (default 1 to 7 and 9; 8, PgBouncer, needs pgbouncer installed)
              --latencies 0,300           fake model latencies in ms (default 0,300)
              --full                      the issue's sizes: 1,000 turns, 5,000 sessions, 100,000 idle sessions
              --quick                     tiny sizes, for checking that everything works (about 2 minutes)
              --turns N / --turns-slow N  scenario 1 turns (zero latency / 300 ms)
              --growth N / --growth-slow N  scenario 2 turns
              --levels 1,16,64,256 / --levels-slow 1,16,64,256,1000  scenario 3 concurrent sessions
              --level-seconds S / --level-seconds-slow S  measured seconds per level
              --idle N                    scenario 6 idle sessions (default 20000)
              --idle-minutes M            at most this long to open them (default 2; the count reached is reported)
              --pgbench-seconds S         scenario 5 seconds per level
              --takeover-runs N           scenario 7 runs owned by the killed process (default 4)
              --pooler-turns N            scenario 8 timed turns per set-up, ?wait and SSE each (default 200)
              --outages 1,3,10,20         scenario 9 database outage lengths in seconds
              --outage-runs N             scenario 9 runs in flight when the database goes (default 8)
              --db-turns N / --db-turns-slow N  scenario 4 turns
              --max-concurrent-runs N     BERTH_ENGINE_MAX_CONCURRENT_RUNS for the Berth processes started
              --jfr                       record a JFR profile of the main Berth process into the output directory
              --out DIR                   where results go (default bench/results)
              --label TEXT                recorded with the results, e.g. the commit of a pinned build
              --berth-java-options OPTS   JVM options of the Berth processes started (JAVA_TOOL_OPTIONS), e.g. a GC
              --target URL --target-key KEY --target-db postgresql://h:p/db [--target-pid PID]
                                          measure a running Berth (its model must be the fake's demo brain);
                                          scenarios 4 (wire counts), 7 and the 300 ms configuration are then skipped
            """;

    public static BenchOptions defaults() {
        return new BenchOptions(new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 9)), List.of(0, 300),
                new Sizes(1000, 1000, List.of(1, 16, 64, 256), Duration.ofSeconds(10), 30),
                new Sizes(30, 60, List.of(1, 16, 64, 256, 1000), Duration.ofSeconds(10), 10),
                20_000, Duration.ofMinutes(2), Duration.ofSeconds(8), 4, defaultOut(), false, null, null, null, null, 200,
                List.of(1, 3, 10, 20), 8);
    }

    public static BenchOptions parse(String... args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + key + "'\n" + USAGE);
            }
            boolean flag = Set.of("--full", "--quick", "--jfr", "--help").contains(key);
            if (!flag && i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value\n" + USAGE);
            }
            a.put(key, flag ? "true" : args[++i]);
        }
        if (a.containsKey("--help")) {
            throw new IllegalArgumentException(USAGE);
        }
        BenchOptions o = a.containsKey("--full") ? full() : a.containsKey("--quick") ? quick() : defaults();
        Sizes fast = new Sizes(integer(a, "--turns", o.fast.overheadTurns), integer(a, "--growth", o.fast.growthTurns),
                ints(a, "--levels", o.fast.levels), seconds(a, "--level-seconds", o.fast.levelDuration),
                integer(a, "--db-turns", o.fast.dbCostTurns));
        Sizes slow = new Sizes(integer(a, "--turns-slow", o.slow.overheadTurns),
                integer(a, "--growth-slow", o.slow.growthTurns), ints(a, "--levels-slow", o.slow.levels),
                seconds(a, "--level-seconds-slow", o.slow.levelDuration), integer(a, "--db-turns-slow", o.slow.dbCostTurns));
        Target target = a.containsKey("--target") ? new Target(a.get("--target"),
                a.getOrDefault("--target-key", System.getenv("BERTH_BENCH_KEY")), a.get("--target-db"),
                a.containsKey("--target-pid") ? Long.valueOf(a.get("--target-pid")) : null) : null;
        if (target != null && target.dbUrl() == null) {
            throw new IllegalArgumentException("--target needs --target-db (for the database counters)");
        }
        Set<String> known = Set.of("--scenarios", "--latencies", "--full", "--quick", "--turns", "--turns-slow",
                "--growth", "--growth-slow", "--levels", "--levels-slow", "--level-seconds", "--level-seconds-slow",
                "--db-turns", "--db-turns-slow", "--idle", "--idle-minutes", "--pgbench-seconds", "--max-concurrent-runs", "--jfr",
                "--out", "--target", "--target-key", "--target-db", "--target-pid", "--takeover-runs", "--label",
                "--berth-java-options", "--pooler-turns", "--outages", "--outage-runs");
        for (String key : a.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option " + key + "\n" + USAGE);
            }
        }
        return new BenchOptions(new TreeSet<>(ints(a, "--scenarios", List.copyOf(o.scenarios))),
                ints(a, "--latencies", o.latenciesMs), fast, slow, integer(a, "--idle", o.idleSessions),
                a.containsKey("--idle-minutes") ? Duration.ofMinutes(Long.parseLong(a.get("--idle-minutes")))
                        : o.idleBudget,
                seconds(a, "--pgbench-seconds", o.pgbenchDuration), integer(a, "--takeover-runs", o.takeoverRuns),
                a.containsKey("--out") ? Path.of(a.get("--out")) : o.out, a.containsKey("--jfr"),
                a.containsKey("--max-concurrent-runs") ? Integer.valueOf(a.get("--max-concurrent-runs")) : null,
                target, a.get("--label"), a.get("--berth-java-options"), integer(a, "--pooler-turns", o.poolerTurns),
                ints(a, "--outages", o.outagesSeconds), integer(a, "--outage-runs", o.outageRuns));
    }

    static BenchOptions full() {
        BenchOptions d = defaults();
        return new BenchOptions(d.scenarios, d.latenciesMs,
                new Sizes(1000, 1000, List.of(1, 16, 64, 256), Duration.ofSeconds(20), 100),
                new Sizes(100, 1000, List.of(1, 16, 64, 256, 1000, 5000), Duration.ofSeconds(30), 30),
                100_000, Duration.ofMinutes(30), Duration.ofSeconds(20), 8, d.out, false, null, null, null, null, 1000,
                d.outagesSeconds, 16);
    }

    static BenchOptions quick() {
        BenchOptions d = defaults();
        return new BenchOptions(d.scenarios, d.latenciesMs,
                new Sizes(30, 40, List.of(1, 4), Duration.ofSeconds(3), 10),
                new Sizes(5, 12, List.of(1, 4), Duration.ofSeconds(3), 4),
                300, Duration.ofMinutes(1), Duration.ofSeconds(3), 2, d.out, false, null, null, null, null, 20,
                List.of(1, 3), 4);
    }

    /** Sizes for a model latency: the slow set for any latency above zero. */
    public Sizes sizes(int latencyMs) {
        return latencyMs == 0 ? fast : slow;
    }

    public boolean runs(int scenario) {
        return scenarios.contains(scenario);
    }

    /** {@code bench/results} from the repository root or from inside {@code bench}. */
    private static Path defaultOut() {
        Path cwd = Path.of("").toAbsolutePath();
        if (Files.exists(cwd.resolve("bench/pom.xml"))) {
            return cwd.resolve("bench/results");
        }
        return cwd.resolve("results");
    }

    private static int integer(Map<String, String> a, String key, int fallback) {
        return a.containsKey(key) ? Integer.parseInt(a.get(key)) : fallback;
    }

    private static Duration seconds(Map<String, String> a, String key, Duration fallback) {
        return a.containsKey(key) ? Duration.ofSeconds(Long.parseLong(a.get(key))) : fallback;
    }

    private static List<Integer> ints(Map<String, String> a, String key, List<Integer> fallback) {
        if (!a.containsKey(key)) {
            return fallback;
        }
        List<Integer> values = new ArrayList<>();
        Arrays.stream(a.get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(s -> values.add(Integer.parseInt(s)));
        return List.copyOf(values);
    }
}
