package dev.berth.runtime.run;

import java.time.Duration;

/**
 * Live runs in the database, for metrics and autoscaling.
 *
 * @param oldestQueuedAge how long the oldest queued run has waited; zero when none waits
 */
public record RunBacklog(long queued, long running, Duration oldestQueuedAge) {
}
