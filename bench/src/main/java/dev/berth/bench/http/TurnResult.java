package dev.berth.bench.http;

import java.time.Instant;

/**
 * One turn as the client saw it.
 *
 * @param clientNanos time from sending the input to receiving the settled run
 * @param endNanos    {@link System#nanoTime()} when the answer arrived
 * @param steps       the run's committed steps (a tool turn has three)
 */
public record TurnResult(String runId, String status, int steps, int modelCalls, long clientNanos, long endNanos,
        Instant createdAt, Instant finishedAt) {

    public boolean completed() {
        return "completed".equals(status);
    }

    /** Server-side duration from the input's commit to the run's end, in ms; NaN if unknown. */
    public double serverMs() {
        if (createdAt == null || finishedAt == null) {
            return Double.NaN;
        }
        return java.time.Duration.between(createdAt, finishedAt).toNanos() / 1e6;
    }
}
