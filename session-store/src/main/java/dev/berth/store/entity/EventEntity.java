package dev.berth.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code events}. Events are appended and read on the hot path through the reactive
 * pg client; the entity exists so that Hibernate validates the table at start.
 */
@Entity
@Table(name = "events")
@IdClass(EventEntity.Key.class)
public class EventEntity {
    @Id
    @Column(name = "session_id")
    public UUID sessionId;
    @Id
    public long seq;
    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;
    @Column(name = "run_id")
    public UUID runId;
    @Column(nullable = false)
    public String type;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String payload;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The composite primary key. */
    public record Key(UUID sessionId, long seq) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
