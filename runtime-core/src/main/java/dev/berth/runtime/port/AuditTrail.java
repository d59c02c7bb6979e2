package dev.berth.runtime.port;

import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditQuery;
import dev.berth.runtime.domain.AuditRecord;
import dev.berth.runtime.domain.Page;
import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * The append-only audit trail of security and control actions (ADR 0034): who did what to which
 * object, in which request, with what outcome and a digest of the change. Rows are never updated
 * or deleted, except by {@link #expire(Instant)}, the retention path.
 *
 * <p>Every call is one transaction of its own. Callers record an action after it committed; an
 * adapter that can write the row in the action's own transaction does so inside its store method
 * instead (ADR 0034 lists which). Never call it from the run step: the step's statement count is
 * fixed (ADR 0010). Threading and errors as {@link AgentStore}.
 */
public interface AuditTrail {

    /** Appends one row. */
    Uni<Void> record(AuditEntry entry);

    /** A page of the query's tenant's rows, newest first. */
    Uni<Page<AuditRecord>> query(AuditQuery query);

    /** Retention: removes the rows written before {@code before}, answers how many. */
    Uni<Long> expire(Instant before);
}
