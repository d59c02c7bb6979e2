package dev.berth.model.internal.resilience;

import dev.berth.model.config.Deployment;

/**
 * One try of a call.
 *
 * @param deployment  where it goes
 * @param number      1 for the first attempt
 * @param startNanos  {@link System#nanoTime()} when the call (not the attempt) began
 */
public record Attempt(Deployment deployment, int number, long startNanos) {
}
