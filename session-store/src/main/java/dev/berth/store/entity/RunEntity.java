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
 * A row of {@code runs}. Runs move on the hot path through the reactive pg client
 * ({@code PgRunStore}); the entity exists so that Hibernate validates the table at start.
 */
@Entity
@Table(name = "runs")
public class RunEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;
    @Column(name = "session_id", nullable = false)
    public UUID sessionId;
    @Column(name = "input_seq", nullable = false)
    public long inputSeq;
    @Column(nullable = false)
    public String status;
    @Column(nullable = false)
    public int step;
    @Column(name = "agent_name", nullable = false)
    public String agentName;
    @Column(name = "agent_version", nullable = false)
    public int agentVersion;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_epoch", nullable = false)
    public long leaseEpoch;
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pending_tools", nullable = false)
    public String pendingTools;
    @Column(name = "input_tokens", nullable = false)
    public long inputTokens;
    @Column(name = "output_tokens", nullable = false)
    public long outputTokens;
    @Column(name = "cached_tokens", nullable = false)
    public long cachedTokens;
    @Column(name = "reasoning_tokens", nullable = false)
    public long reasoningTokens;
    @Column(name = "model_calls", nullable = false)
    public int modelCalls;
    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;
    public String output;
    @JdbcTypeCode(SqlTypes.JSON)
    public String error;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
