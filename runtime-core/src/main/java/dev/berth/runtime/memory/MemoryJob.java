package dev.berth.runtime.memory;

import dev.berth.runtime.domain.TenantId;
import java.util.UUID;

/**
 * A claimed extraction job: the events {@code fromSeq..throughSeq} of one completed run, to be
 * turned into memories by the strategies of the run's agent version.
 *
 * @param attempts how often it was claimed, this claim included
 */
public record MemoryJob(UUID id, TenantId tenant, UUID sessionId, UUID runId, String actorId, String agentName,
        int agentVersion, long fromSeq, long throughSeq, int attempts, String owner) {
}
