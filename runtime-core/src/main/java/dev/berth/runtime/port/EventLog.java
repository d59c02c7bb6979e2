package dev.berth.runtime.port;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import dev.berth.runtime.domain.NewEvent;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a session's committed events. Appends happen through {@link RunStore}, in the transactions
 * that also move runs, except history that no run made ({@link #append}). Threading and errors as
 * {@link AgentStore}.
 */
public interface EventLog {

    /** Events with a sequence above {@code afterSeq}, oldest first, at most {@code limit}. */
    Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit);

    /**
     * The newest rolling summary and the newest {@code limit} events after what it summarises,
     * in one read: a bounded number of rows whatever the session's length.
     */
    Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit);

    /**
     * Appends events that belong to no run (history a client gives, marks that hide an item), with the
     * session's next sequence numbers, in one transaction under the session's lock (ADR 0039).
     *
     * @param whenIdle refuse, changing nothing, while a run of the session is live
     *                 ({@link dev.berth.runtime.error.ConflictException} {@code session-busy})
     * @return the appended events as committed, oldest first; {@link dev.berth.runtime.error.NotFoundException}
     *         for an unknown session, {@code ConflictException} {@code session-expired} for an expired one
     */
    Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<NewEvent> events, boolean whenIdle);

    /**
     * Events of the given types that no {@code hiddenType} event of the session names (by its
     * {@code seq} field), from {@code fromSeq} on, inclusive: upwards, or downwards when
     * {@code newestFirst}; at most {@code limit}.
     */
    Uni<List<Event>> visible(TenantId tenant, UUID sessionId, Set<String> types, String hiddenType, long fromSeq,
            boolean newestFirst, int limit);
}
