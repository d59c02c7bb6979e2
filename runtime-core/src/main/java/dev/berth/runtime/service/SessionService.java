package dev.berth.runtime.service;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.NewSession;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.SessionStore;
import dev.berth.runtime.run.team.TeamStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Opens, reads, lists and deletes sessions. */
@ApplicationScoped
public class SessionService {
    public static final int MAX_PAGE = InputLimits.MAX_PAGE;

    private final SessionStore sessions;
    private final AgentService agents;
    private final TeamStore teams;

    @Inject
    public SessionService(SessionStore sessions, AgentService agents, TeamStore teams) {
        this.sessions = sessions;
        this.agents = agents;
        this.teams = teams;
    }

    /**
     * Upgrades a session explicitly: to the given version of its current agent (the latest when
     * null), with its team pinned afresh (latest versions of the members). Runs queued afterwards
     * use them; a run already under way keeps its agent version.
     */
    public Uni<Session> upgrade(TenantId tenant, UUID id, Integer agentVersion) {
        return get(tenant, id)
                .chain(session -> agents.get(tenant, session.agentName(), agentVersion))
                .chain(agent -> agents.teamOf(tenant, agent)
                        .chain(team -> teams.repin(tenant, id, agent.name(), agent.version(), team)))
                .chain(done -> {
                    if (!done) {
                        throw new ConflictException("session-expired", "the session has expired and cannot be upgraded");
                    }
                    return get(tenant, id);
                });
    }

    /**
     * Opens a session pinned to an agent version (the latest when none is given).
     *
     * @param policy null for the agent's policy
     * @param ttl    null for no expiry
     */
    public Uni<Session> open(TenantId tenant, String agentName, Integer agentVersion, String actorId,
            InputPolicy policy, Map<String, Object> metadata, Duration ttl) {
        return open(tenant, new Opening(agentName, agentVersion, actorId, policy, metadata, ttl, null), Optional.empty());
    }

    /**
     * What a client asks for when it opens a session ({@code policy} and {@code ttl} may be null),
     * and who asks ({@code openedBy}, kept with the session; null for no one in particular).
     */
    public record Opening(String agentName, Integer agentVersion, String actorId, InputPolicy policy,
            Map<String, Object> metadata, Duration ttl, String openedBy) {
    }

    /**
     * As {@link #open(TenantId, String, Integer, String, InputPolicy, Map, Duration)}, claiming the
     * client's idempotency key in the session's transaction (ADR 0024).
     */
    public Uni<Session> open(TenantId tenant, Opening opening, Optional<RequestKey> key) {
        String agentName = opening.agentName();
        Integer agentVersion = opening.agentVersion();
        String actorId = opening.actorId();
        InputPolicy policy = opening.policy();
        Map<String, Object> metadata = opening.metadata();
        Duration ttl = opening.ttl();
        InputLimits.identifier("actorId", actorId);
        InputLimits.metadata("metadata", metadata);
        if (agentName == null || agentName.isBlank()) {
            throw ValidationException.field("agent", "is required");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw ValidationException.field("ttlSeconds", "must be positive");
        }
        // The session pins its whole team now: later versions of its members do not change it.
        return agents.get(tenant, agentName, agentVersion)
                .chain(agent -> agents.teamOf(tenant, agent).chain(team -> sessions.create(new NewSession(
                        UUID.randomUUID(), tenant, agent, actorId, policy == null ? agent.spec().inputPolicy() : policy,
                        metadata, expiry(ttl, agent), team, opening.openedBy()), key)));
    }

    /** The client's TTL, else the agent's session retention, else none. */
    private static Instant expiry(Duration ttl, dev.berth.runtime.domain.AgentDefinition agent) {
        Duration effective = ttl != null ? ttl : agent.spec().memory().sessionTtl();
        return effective == null ? null : Instant.now().plus(effective);
    }

    public Uni<Session> get(TenantId tenant, UUID id) {
        return sessions.find(tenant, id).map(found -> found.orElseThrow(() -> new NotFoundException("session", id)));
    }

    public Uni<Page<Session>> list(TenantId tenant, String actorId, String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_PAGE);
        }
        return sessions.list(tenant, actorId, cursor, limit);
    }

    /** Replaces a session's metadata (the limits of {@link InputLimits#metadata}); 404 for an unknown session. */
    public Uni<Session> updateMetadata(TenantId tenant, UUID id, Map<String, Object> metadata) {
        InputLimits.metadata("metadata", metadata);
        return sessions.updateMetadata(tenant, id, metadata == null ? Map.of() : metadata).chain(updated -> {
            if (!updated) {
                throw new NotFoundException("session", id);
            }
            return get(tenant, id);
        });
    }

    public Uni<Void> delete(TenantId tenant, UUID id) {
        return sessions.delete(tenant, id).invoke(deleted -> {
            if (!deleted) {
                throw new NotFoundException("session", id);
            }
        }).replaceWithVoid();
    }
}
