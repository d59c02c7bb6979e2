package dev.berth.runtime.port;

import dev.berth.runtime.domain.Event;
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
     * The newest {@code limit} events with a sequence above {@code afterSeq}, oldest first: the
     * unsummarised tail of a session, a bounded read whatever the session's length.
     */
    Uni<List<Event>> latestAfter(TenantId tenant, UUID sessionId, long afterSeq, int limit);

    /** The newest event of the given type, if any (an index lookup). */
    Uni<java.util.Optional<Event>> lastOfType(TenantId tenant, UUID sessionId, String type);
}
