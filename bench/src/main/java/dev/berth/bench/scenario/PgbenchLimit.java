package dev.berth.bench.scenario;

import dev.berth.bench.db.DbProbe;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 5: the database's own limit on this machine, {@code pgbench} running a one-row INSERT
 * at the concurrency levels of scenario 3, and Berth's steps per second as a ratio of it. Runs
 * after the Berth process has stopped, on the same server and database.
 */
public final class PgbenchLimit {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final String SCRIPT = "insert into bench_pgbench_insert (payload) values ('one row of a step');\n";

    private PgbenchLimit() {
    }

    public static Section run(DbProbe probe, String host, int port, String database, List<Integer> levels,
            Duration duration, Map<Integer, Double> berthStepsPerSecond) {
        Section s = new Section("5-pgbench", "5. The limit, side by side: pgbench one-row INSERT vs Berth steps")
                .config("pgbench", "-n -M prepared -T " + duration.toSeconds() + " -c N -j min(N,2), one-row INSERT")
                .config("database", "the benchmark's database, same server, Berth stopped");
        Optional<String> version = version();
        if (version.isEmpty()) {
            s.note("pgbench is not installed (Debian: apt-get install postgresql-contrib or postgresql-client);"
                    + " scenario 5 skipped.");
            return s;
        }
        s.config("pgbench version", version.get());
        probe.execute("create table if not exists bench_pgbench_insert (id bigserial primary key,"
                + " payload text not null, created_at timestamptz not null default now())");
        Path script = writeScript();
        for (int level : levels) {
            int free = awaitFreeConnections(probe, level);
            if (level > free) {
                s.note("pgbench @" + level + " skipped: the server has " + free + " connections free"
                        + " (max_connections less those in use, less 3 reserved for superusers).");
                continue;
            }
            Result r = pgbench(script, host, port, database, level, duration);
            if (r.tps() < 0) {
                s.note("pgbench @" + level + " failed: " + r.output());
                continue;
            }
            s.figure(Figure.of("pgbench inserts/s @" + level, r.tps(), "tx/s"));
            Double berth = berthStepsPerSecond.get(level);
            if (berth != null) {
                double ratio = berth / r.tps();
                s.figure(level == 64 ? Figure.atLeast("Berth steps/s / pgbench @64", ratio, "x", 0.5, ">= 0.5")
                        : Figure.of("Berth steps/s / pgbench @" + level, ratio, "x"));
            }
        }
        s.note("pgbench results per level are inserted rows per second (one statement, one transaction each).");
        return s;
    }

    /** Adds pgbench's rate to the throughput chart, in the same unit as Berth's steps. */
    public static void chart(Section s, Results results) {
        s.figures().stream().filter(f -> f.name().startsWith("pgbench inserts/s @")).forEach(f -> results.point(
                "throughput-vs-concurrency", "pgbench 1-row INSERT",
                Integer.parseInt(f.name().substring(f.name().indexOf('@') + 1)), f.value()));
    }

    record Result(double tps, String output) {
    }

    /** Other clients of a shared server come and go: wait up to 30 s for enough free connections. */
    private static int awaitFreeConnections(DbProbe probe, int wanted) {
        int free = probe.freeConnections();
        for (int i = 0; i < 30 && free < wanted && wanted <= probe.maxClientConnections(); i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            free = probe.freeConnections();
        }
        return free;
    }

    static Optional<String> version() {
        try {
            Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Result pgbench(Path script, String host, int port, String database, int clients, Duration d) {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-h", host, "-p",
                Integer.toString(port), "-U", "postgres", "-c", Integer.toString(clients), "-j",
                Integer.toString(Math.min(clients, 2)), "-T", Long.toString(d.toSeconds()), "-f", script.toString(),
                database));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(d.toSeconds() + 60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            Matcher m = TPS.matcher(out);
            return m.find() ? new Result(Double.parseDouble(m.group(1)), out)
                    : new Result(-1, out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(out));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static Path writeScript() {
        try {
            Path file = Files.createTempFile("bench-insert", ".sql");
            Files.writeString(file, SCRIPT);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
