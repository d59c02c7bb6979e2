package dev.berth.bench.report;

/**
 * One measured figure of a scenario, with the target when it has one.
 *
 * @param name   what was measured, e.g. "turn latency p50"
 * @param value  the measured number (NaN when it could not be measured)
 * @param unit   e.g. "ms", "turns/s"
 * @param target the target in words, e.g. "< 15 ms", or null
 * @param met    whether the target is met; null without a target or measurement
 */
public record Figure(String name, double value, String unit, String target, Boolean met) {

    public static Figure of(String name, double value, String unit) {
        return new Figure(name, value, unit, null, null);
    }

    /** A figure that must stay at or below {@code limit}. */
    public static Figure atMost(String name, double value, String unit, double limit, String target) {
        return new Figure(name, value, unit, target, Double.isNaN(value) ? null : value <= limit);
    }

    /** A figure that must reach at least {@code floor}. */
    public static Figure atLeast(String name, double value, String unit, double floor, String target) {
        return new Figure(name, value, unit, target, Double.isNaN(value) ? null : value >= floor);
    }

    /** The value rounded for people: integers stay integers, others keep 3 significant digits. */
    public String formatted() {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format("%,d", (long) value);
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format("%,.0f", value);
        }
        if (abs >= 10) {
            return String.format("%.1f", value);
        }
        return String.format("%.2f", value);
    }

    public String verdict() {
        return met == null ? "" : met ? "met" : "MISSED";
    }
}
