package dev.berth.runtime.domain;

/**
 * One group of GET /v1/usage: what the runs of one agent, actor or day spent.
 *
 * @param key the agent's name, the actor's id, or the UTC day ({@code 2026-12-07})
 */
public record UsageRow(String key, long runs, long inputTokens, long outputTokens, long modelCalls) {

    /** Input and output tokens: what token budgets count. */
    public long tokens() {
        return inputTokens + outputTokens;
    }
}
