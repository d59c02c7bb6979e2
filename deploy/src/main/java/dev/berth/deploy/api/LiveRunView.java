package dev.berth.deploy.api;

import dev.berth.runtime.run.Run;
import java.time.Duration;
import java.time.Instant;

/**
 * A live run in the tenant's listing (GET /v1/runs): where it runs, how long it has lived and
 * what it has cost so far (tokens and model calls).
 *
 * @param ageSeconds whole seconds since the run was created (input submitted, or a sub-agent call started)
 */
public record LiveRunView(String id, String sessionId, SessionView.AgentRef agent, String status, Instant createdAt,
        Instant startedAt, long ageSeconds, long inputTokens, long outputTokens, long totalTokens, int modelCalls,
        int steps) {

    public static LiveRunView of(Run run) {
        long age = Math.max(0, Duration.between(run.createdAt(), Instant.now()).toSeconds());
        return new LiveRunView(run.id().toString(), run.sessionId().toString(),
                new SessionView.AgentRef(run.agentName(), run.agentVersion()), run.status().wire(), run.createdAt(),
                run.startedAt(), age, run.usage().inputTokens(), run.usage().outputTokens(), run.usage().totalTokens(),
                run.modelCalls(), run.step());
    }
}
