package dev.berth.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code sessions}. {@code lastSeq} and {@code state} are written by the run
 * engine's transactions (reactive pg client), never through this entity.
 */
@Entity
@Table(name = "sessions")
public class SessionEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;
    @Column(name = "agent_name", nullable = false)
    public String agentName;
    @Column(name = "agent_version", nullable = false)
    public int agentVersion;
    @Column(name = "actor_id", nullable = false)
    public String actorId;
    @Column(nullable = false)
    public String status;
    @Column(name = "input_policy", nullable = false)
    public String inputPolicy;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public String state;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String metadata;
    @Column(updatable = false)
    public String summary;
    /** The team versions the session pinned when it opened: {@code {"agent": version}}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public String team;
    @Column(name = "last_seq", nullable = false, updatable = false)
    public long lastSeq;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    /** Who opened the session (V11); written once. */
    @Column(name = "opened_by", updatable = false)
    public String openedBy;
    /** When and by whom an operator killed the session (V16); written only by berth_kill_session and a reopen. */
    @Column(name = "killed_at", insertable = false, updatable = false)
    public Instant killedAt;
    @Column(name = "killed_by", insertable = false, updatable = false)
    public String killedBy;
}
