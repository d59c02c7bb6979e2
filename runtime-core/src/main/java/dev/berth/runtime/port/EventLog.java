package dev.berth.runtime.port;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * Reads a session's committed events. Appends happen only through {@link RunStore}, in the
 * transactions that also move runs. Threading and errors as {@link AgentStore}.
 */
public interface EventLog {

    /** Events with a sequence above {@code afterSeq}, oldest first, at most {@code limit}. */
    Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit);

    /**
     * The newest rolling summary and the newest {@code limit} events after what it summarises,
     * in one read: a bounded number of rows whatever the session's length.
     */
    Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit);
}
