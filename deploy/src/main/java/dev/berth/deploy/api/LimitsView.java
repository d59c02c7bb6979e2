package dev.berth.deploy.api;

/**
 * Run limits of an agent; absent fields take the defaults. {@code maxSteps} bounds a run's model
 * calls, {@code runTimeoutSeconds} its wall time, {@code maxRunTokens} (none by default) the tokens,
 * input and output, of all its model calls (ADR 0032).
 */
public record LimitsView(Integer maxSteps, Integer maxCompletionTokens, Long runTimeoutSeconds, Long maxRunTokens) {

    /** Limits with no token limit per run. */
    public LimitsView(Integer maxSteps, Integer maxCompletionTokens, Long runTimeoutSeconds) {
        this(maxSteps, maxCompletionTokens, runTimeoutSeconds, null);
    }
}
