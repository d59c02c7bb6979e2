package dev.berth.bench.scenario;

import dev.berth.bench.http.TurnResult;
import dev.berth.bench.stats.LatencySummary;
import java.util.List;

/** Latency and shape of a list of turns. */
record TurnStats(LatencySummary client, LatencySummary server, double stepsPerTurn, int notCompleted) {

    static TurnStats of(List<TurnResult> turns) {
        long[] client = turns.stream().mapToLong(TurnResult::clientNanos).toArray();
        long[] server = turns.stream().filter(r -> !Double.isNaN(r.serverMs()))
                .mapToLong(r -> (long) (r.serverMs() * 1e6)).toArray();
        double steps = turns.stream().mapToInt(TurnResult::steps).average().orElse(Double.NaN);
        int notCompleted = (int) turns.stream().filter(r -> !r.completed()).count();
        return new TurnStats(LatencySummary.ofNanos(client), LatencySummary.ofNanos(server), steps, notCompleted);
    }
}
