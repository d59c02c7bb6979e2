package dev.berth.runtime.memory;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;

/**
 * Durable extraction jobs. A job is queued by the database in the transaction that completes
 * a run; workers on every process claim jobs like runs (skipping rows others hold), and a job
 * whose worker died is claimed again once its lease expires. Threading and errors as
 * {@link AgentStore}.
 */
public interface MemoryJobStore {

    /** Claims the oldest due job: queued and past its back-off, or running with an expired lease. */
    Uni<Optional<MemoryJob>> claimNext(String owner, Duration leaseTtl);

    /** Marks the job done, if this owner still holds it. */
    Uni<Void> complete(MemoryJob job);

    /** Puts the job back for another attempt after {@code delay}, or marks it failed when {@code giveUp}. */
    Uni<Void> retry(MemoryJob job, Duration delay, String error, boolean giveUp);

    /** The status of the job of a run ({@code queued}, {@code running}, {@code done}, {@code failed}), if any. */
    Uni<Optional<String>> statusOfRun(dev.berth.runtime.domain.TenantId tenant, java.util.UUID runId);
}
