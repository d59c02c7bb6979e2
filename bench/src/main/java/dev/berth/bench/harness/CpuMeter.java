package dev.berth.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's /proc: of one process (Berth, or the benchmark's own JVM, which also
 * runs the fake model) and of the whole machine, so a figure can say where the cores went.
 * Clock ticks are 1/100 s on Linux (USER_HZ), so windows shorter than a second are coarse.
 */
public final class CpuMeter {
    private static final double MS_PER_TICK = 10.0;
    private final long berthPid;

    public CpuMeter(long berthPid) {
        this.berthPid = berthPid;
    }

    /** CPU use at one moment: process ticks and machine busy/total ticks. */
    public record Reading(long nanos, long berthTicks, long benchTicks, long machineBusy, long machineTotal) {

        /** What happened between {@code earlier} and this reading. */
        public Usage since(Reading earlier) {
            double seconds = (nanos - earlier.nanos) / 1e9;
            double berthMs = (berthTicks - earlier.berthTicks) * MS_PER_TICK;
            double benchMs = (benchTicks - earlier.benchTicks) * MS_PER_TICK;
            long total = machineTotal - earlier.machineTotal;
            double busyFraction = total == 0 ? Double.NaN : (double) (machineBusy - earlier.machineBusy) / total;
            return new Usage(seconds, berthMs, benchMs, busyFraction * Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * @param berthCpuMs  CPU time Berth used
     * @param benchCpuMs  CPU time the benchmark's JVM used (driver and fake model)
     * @param machineBusyCores cores busy on the whole machine, on average (PostgreSQL and others included)
     */
    public record Usage(double seconds, double berthCpuMs, double benchCpuMs, double machineBusyCores) {
        public double berthCores() {
            return berthCpuMs / 1000 / seconds;
        }
    }

    public Reading read() {
        long[] machine = machine();
        return new Reading(System.nanoTime(), processTicks(berthPid), processTicks(ProcessHandle.current().pid()),
                machine[0], machine[1]);
    }

    /** utime + stime of a process; fields 14 and 15 of /proc/PID/stat, counted after the ")" of its name. */
    static long processTicks(long pid) {
        try {
            return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {busy, total} jiffies of all CPUs from the first line of /proc/stat. */
    static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Parses a /proc/PID/stat line: visible for tests. */
    static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
