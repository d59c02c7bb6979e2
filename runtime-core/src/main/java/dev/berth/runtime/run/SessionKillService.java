package dev.berth.runtime.run;

import dev.berth.runtime.error.SessionKilled;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.port.SessionKillStore;
import dev.berth.runtime.port.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The operator kill switch (ADR 0033): kill a session (its live runs and their sub-agent trees are
 * cancelled, and it refuses input) and reopen it. The rule that a killed session starts no run is
 * the database's (R__90_session_kill.sql), so it holds for every process and every way a run starts.
 */
@ApplicationScoped
public class SessionKillService {
    private final SessionKillStore kills;
    private final SessionStore sessions;
    private final RunStore runs;

    @Inject
    public SessionKillService(SessionKillStore kills, SessionStore sessions, RunStore runs) {
        this.kills = kills;
        this.sessions = sessions;
        this.runs = runs;
    }

    /** Kills the session; killing a killed session again changes nothing. The session as it is after. */
    public Uni<Session> kill(TenantId tenant, UUID sessionId, String by) {
        return kills.kill(tenant, sessionId, by).chain(found -> after(found, tenant, sessionId));
    }

    /** Lets the session take input again. The session as it is after. */
    public Uni<Session> reopen(TenantId tenant, UUID sessionId) {
        return kills.reopen(tenant, sessionId).chain(found -> after(found, tenant, sessionId));
    }

    private Uni<Session> after(boolean found, TenantId tenant, UUID sessionId) {
        if (!found) {
            return Uni.createFrom().failure(new NotFoundException("session", sessionId));
        }
        return sessions.find(tenant, sessionId)
                .map(session -> session.orElseThrow(() -> new NotFoundException("session", sessionId)));
    }

    /**
     * What a client hears when answering a run that no longer waits: the kill cancelled it, so a
     * run of a killed session says {@code session-killed} rather than only that it is not waiting.
     * Looked up on that refusal only: answers that apply cost nothing more.
     */
    public Uni<Throwable> explainRefusedAnswer(TenantId tenant, UUID runId, Throwable failure) {
        if (!(failure instanceof ConflictException conflict) || !NOT_WAITING.equals(conflict.problemType())) {
            return Uni.createFrom().item(failure);
        }
        return runs.find(tenant, runId)
                .chain(run -> run.isEmpty() ? Uni.createFrom().item(java.util.Optional.<Session>empty())
                        : sessions.find(tenant, run.get().sessionId()))
                .map(session -> session.filter(Session::killed)
                        .<Throwable>map(killed -> SessionKilled.refusal(killed.id())).orElse(failure));
    }

    /** The problem type of an answer to a run that waits for nothing (PausedRunService). */
    private static final String NOT_WAITING = "run-not-waiting";
}
