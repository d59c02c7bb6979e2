package dev.berth.runtime.run;

import dev.berth.model.Usage;
import dev.berth.runtime.domain.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * One processing of input until a final answer, a pause or a failure.
 *
 * @param inputSeq   the sequence of the input event that started it; orders runs in a session
 * @param step       committed steps (model calls and tool batches)
 * @param modelCalls committed model calls, limited by the agent's maxSteps
 * @param options    what the run sets for itself on top of its agent (ADR 0036); never null
 */
public record Run(UUID id, TenantId tenant, UUID sessionId, long inputSeq, RunStatus status, int step,
        int modelCalls, String agentName, int agentVersion, Usage usage, String output, RunError error,
        Instant createdAt, Instant startedAt, Instant finishedAt, RunOptions options) {
    public Run {
        options = options == null ? RunOptions.NONE : options;
    }

    /** A run as its agent defines it. */
    public Run(UUID id, TenantId tenant, UUID sessionId, long inputSeq, RunStatus status, int step,
            int modelCalls, String agentName, int agentVersion, Usage usage, String output, RunError error,
            Instant createdAt, Instant startedAt, Instant finishedAt) {
        this(id, tenant, sessionId, inputSeq, status, step, modelCalls, agentName, agentVersion, usage, output,
                error, createdAt, startedAt, finishedAt, RunOptions.NONE);
    }
}
