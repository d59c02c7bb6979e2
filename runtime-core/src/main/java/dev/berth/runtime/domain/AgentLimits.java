package dev.berth.runtime.domain;

import java.time.Duration;

/**
 * Limits of one run of an agent.
 *
 * @param maxSteps            the most model calls a run may make before it fails
 * @param maxCompletionTokens the most tokens one model answer may have, or null for the model's own
 * @param runTimeout          wall-clock limit of a run
 * @param maxRunTokens        the most tokens (input + output, all its model calls) one run may spend,
 *                            or null for no such limit; checked before each model call, a run at or
 *                            over it fails with {@code budget_exceeded} (ADR 0032)
 */
public record AgentLimits(int maxSteps, Integer maxCompletionTokens, Duration runTimeout, Long maxRunTokens) {
    public static final int MAX_STEPS_CEILING = 100;
    public static final AgentLimits DEFAULT = new AgentLimits(10, null, Duration.ofMinutes(10), null);

    /** Limits with no token limit per run (agents defined before it existed). */
    public AgentLimits(int maxSteps, Integer maxCompletionTokens, Duration runTimeout) {
        this(maxSteps, maxCompletionTokens, runTimeout, null);
    }

    public AgentLimits {
        if (maxSteps < 1 || maxSteps > MAX_STEPS_CEILING) {
            throw new IllegalArgumentException("maxSteps must be between 1 and " + MAX_STEPS_CEILING);
        }
        if (maxCompletionTokens != null && maxCompletionTokens < 1) {
            throw new IllegalArgumentException("maxCompletionTokens must be positive");
        }
        if (maxRunTokens != null && maxRunTokens < 1) {
            throw new IllegalArgumentException("maxRunTokens must be positive");
        }
        if (runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("runTimeout must be positive");
        }
    }
}
