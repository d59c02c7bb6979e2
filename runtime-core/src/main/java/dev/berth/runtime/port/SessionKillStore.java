package dev.berth.runtime.port;

import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * The operator kill switch's writes (ADR 0033). Threading and errors as {@link AgentStore}: each
 * method is one statement, so one transaction; another tenant's session looks like a missing one.
 */
public interface SessionKillStore {

    /**
     * Cancels the session's live runs with their sub-agent trees (parked ones at once, running ones
     * at their next step boundary, on whichever process owns them) and marks the session killed by
     * {@code by}; from then on no run starts in it or under it. A second kill keeps the first one's
     * who and when. False when the tenant has no such session.
     */
    Uni<Boolean> kill(TenantId tenant, UUID session, String by);

    /** Lets the session take input again (a session that is not killed stays as it is); false when there is none. */
    Uni<Boolean> reopen(TenantId tenant, UUID session);
}
