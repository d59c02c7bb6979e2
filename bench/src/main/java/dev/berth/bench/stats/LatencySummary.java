package dev.berth.bench.stats;

import java.util.Arrays;

/**
 * Latency percentiles of a sample, in milliseconds, by the nearest-rank method: the p-th
 * percentile is the smallest value with at least p% of the sample at or below it. Nearest rank
 * never invents a value that was not measured, which matters for small samples.
 */
public record LatencySummary(int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** The summary of durations in nanoseconds; an empty sample gives zeros. */
    public static LatencySummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new LatencySummary(sorted.length, ms(sum / sorted.length), ms(percentile(sorted, 50)),
                ms(percentile(sorted, 95)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile of an ascending array; {@code p} in (0, 100]. */
    public static long percentile(long[] ascending, double p) {
        if (ascending.length == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(rank, 1) - 1];
    }

    /** The median of a slice {@code [from, to)} of durations in nanoseconds, in ms. */
    public static double medianMs(long[] nanos, int from, int to) {
        long[] slice = Arrays.copyOfRange(nanos, from, to);
        Arrays.sort(slice);
        return ms(percentile(slice, 50));
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
