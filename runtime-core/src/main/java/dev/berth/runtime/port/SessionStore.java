package dev.berth.runtime.port;

import dev.berth.runtime.domain.NewSession;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions. Threading and errors as {@link AgentStore}. A session of another tenant is
 * never returned: it looks like a missing one.
 */
public interface SessionStore {

    default Uni<Session> create(NewSession session) {
        return create(session, Optional.empty());
    }

    /**
     * Creates the session, claiming the client's idempotency key in the same transaction: fails
     * with {@link dev.berth.runtime.error.KeyTakenException} when the key was used before (ADR 0024).
     */
    Uni<Session> create(NewSession session, Optional<RequestKey> key);

    Uni<Optional<Session>> find(TenantId tenant, UUID id);

    /**
     * Newest first.
     *
     * @param actorId null for all actors
     * @param cursor  the {@code nextCursor} of the previous page, or null for the first
     */
    Uni<Page<Session>> list(TenantId tenant, String actorId, String cursor, int limit);

    /** Replaces the session's metadata; false when there is no such session. */
    Uni<Boolean> updateMetadata(TenantId tenant, UUID id, java.util.Map<String, Object> metadata);

    /** Deletes the session with its events and runs; false when there was none. */
    Uni<Boolean> delete(TenantId tenant, UUID id);
}
