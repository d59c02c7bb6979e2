package dev.berth.runtime.run;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's live runs, for operators ({@code GET /v1/runs}). One bounded statement per page,
 * served by an index on the tenant and status, so it never reads the tenant's finished runs.
 * Threading and errors as {@link RunStore}; a cursor the store did not write is a
 * {@link dev.berth.runtime.error.ValidationException}.
 */
public interface LiveRunStore {

    /** A page in the query's order (oldest first, or costliest first), ties broken by the run's id. */
    Uni<Page<Run>> live(TenantId tenant, LiveRunQuery query);
}
