package dev.berth.deploy.openai;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.service.HistoryService;
import io.smallrye.mutiny.Uni;

/**
 * The rule for {@code previous_response_id} (ADR 0039): it continues its conversation only when it is
 * the conversation's newest response, with nothing added after it; otherwise the request is refused
 * (400, {@code param} {@code previous_response_id}) and nothing is written. Berth does not fork: a
 * session is one line of history, and a fork would copy history into a new session, a cost that grows
 * with the conversation. A client that wants to branch starts a conversation with the items it keeps.
 */
final class ResponseForks {
    private ResponseForks() {
    }

    /**
     * Fails unless the newest visible item of the previous response's session is the previous run's own
     * (its answer, or its input while it has none yet).
     */
    static Uni<Void> requireNewest(HistoryService history, TenantId tenant, Run previous, String id) {
        return history.visible(tenant, previous.sessionId(), Long.MAX_VALUE, true, 1).invoke(newest -> {
            if (!newest.isEmpty() && !previous.id().equals(newest.getFirst().runId())) {
                throw ValidationException.field("previous_response_id", id + " is not the newest response of its"
                        + " conversation (" + OpenAiIds.conversation(previous.sessionId()) + "), and Berth does not fork"
                        + " conversations: continue from its newest response, or pass the conversation");
            }
        }).replaceWithVoid();
    }
}
