package dev.berth.runtime.domain;

import java.util.Map;

/**
 * A run this process now owns.
 *
 * @param pendingTools tool calls committed but not answered, with how often each was started;
 *                     non-empty when the run is resumed after its previous owner died mid-call
 * @param takeover     whether the run had been running under another lease before
 * @param traceparent  the W3C trace context stored with the run's input, or null: the run's
 *                     trace continues it
 */
public record ClaimedRun(Run run, Lease lease, Map<String, Integer> pendingTools, boolean cancelRequested,
        boolean takeover, String traceparent) {
    public ClaimedRun {
        pendingTools = Map.copyOf(pendingTools);
    }

    public ClaimedRun(Run run, Lease lease, Map<String, Integer> pendingTools, boolean cancelRequested,
            boolean takeover) {
        this(run, lease, pendingTools, cancelRequested, takeover, null);
    }
}
