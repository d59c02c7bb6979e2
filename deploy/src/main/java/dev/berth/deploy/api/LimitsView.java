package dev.berth.deploy.api;

/** Run limits of an agent; absent fields take the defaults. */
public record LimitsView(Integer maxSteps, Integer maxCompletionTokens, Long runTimeoutSeconds) {
}
