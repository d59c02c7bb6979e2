package dev.berth.runtime.testkit;

import dev.berth.model.Usage;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunOptions;
import dev.berth.runtime.run.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A run row of the {@link InMemoryDatabase}, with its lease. */
final class RunRow {
    final UUID id;
    final TenantId tenant;
    final UUID sessionId;
    final long inputSeq;
    RunStatus status = RunStatus.QUEUED;
    int step;
    int modelCalls;
    String agentName;
    int agentVersion;
    Usage usage = Usage.ZERO;
    String output;
    RunError error;
    final Instant createdAt;
    Instant startedAt;
    Instant finishedAt;
    Instant resumedAt;
    String leaseOwner;
    long leaseEpoch;
    /** runs.failed_attempts (V9, ADR 0021). */
    int failedAttempts;
    Instant leaseExpiresAt;
    boolean cancelRequested;
    Map<String, Integer> pendingTools = new LinkedHashMap<>();
    UUID parentRunId;
    UUID rootRunId;
    int depth;
    /** runs.options (V18, ADR 0036). */
    RunOptions options = RunOptions.NONE;

    RunRow(UUID id, TenantId tenant, UUID sessionId, long inputSeq, String agentName, int agentVersion,
            Instant createdAt) {
        this.id = id;
        this.tenant = tenant;
        this.sessionId = sessionId;
        this.inputSeq = inputSeq;
        this.agentName = agentName;
        this.agentVersion = agentVersion;
        this.createdAt = createdAt;
    }

    Run toRun() {
        return new Run(id, tenant, sessionId, inputSeq, status, step, modelCalls, agentName, agentVersion, usage,
                output, error, createdAt, startedAt, finishedAt, options);
    }
}
