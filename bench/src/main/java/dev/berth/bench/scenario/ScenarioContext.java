package dev.berth.bench.scenario;

import dev.berth.bench.BenchOptions;
import dev.berth.bench.db.DbProbe;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.harness.CpuMeter;
import dev.berth.bench.http.BerthClient;

/**
 * What a scenario runs against: the options, the model latency, the Berth under test and a
 * probe on its database, and the shared results (for charts and cross-scenario ratios).
 */
public record ScenarioContext(BenchOptions options, int latencyMs, BerthUnderTest berth, DbProbe probe,
        Results results) {

    /** The agent every scenario talks to: one builtin tool, so a turn is model, tool, model. */
    public static final String AGENT = "bench";
    /** Input the fake model's demo brain answers with a {@code current_time} call, then text. */
    public static final String TEXT = "what time is it";

    public BerthClient client() {
        return berth.client();
    }

    /** CPU of the Berth process (zero if its process id is unknown), this JVM and the machine. */
    public CpuMeter cpu() {
        return new CpuMeter(berth.pid().orElse(-1L));
    }

    public BenchOptions.Sizes sizes() {
        return options.sizes(latencyMs);
    }

    /** "0 ms model" or "300 ms model", used in titles and series names. */
    public String label() {
        return latencyMs < 0 ? "external model" : latencyMs + " ms model";
    }

    /** Whether the targets (stated for a zero-latency model) apply. */
    public boolean targetsApply() {
        return latencyMs == 0;
    }
}
