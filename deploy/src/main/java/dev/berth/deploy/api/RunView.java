package dev.berth.deploy.api;

import java.time.Instant;

/**
 * A run as the API shows it; {@code requiredAction} is set only while the run is in
 * {@code requires_action}, and lists the calls still unanswered.
 */
public record RunView(String id, String sessionId, String status, int step, int modelCalls,
        SessionView.AgentRef agent, String output, ErrorView error, UsageView usage, Instant createdAt,
        Instant startedAt, Instant finishedAt, RequiredActionView requiredAction) {

    /** Why a run failed. */
    public record ErrorView(String code, String message) {
    }

    /** Tokens a run used, over all its model calls. */
    public record UsageView(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens,
            long totalTokens) {
    }
}
