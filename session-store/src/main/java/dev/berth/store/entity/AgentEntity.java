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

/** A row of {@code agents}: one immutable version. Mapped to the domain by {@code AgentMapper}. */
@Entity
@Table(name = "agents")
@IdClass(AgentEntity.Key.class)
public class AgentEntity {
    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;
    @Id
    public String name;
    @Id
    public int version;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String definition;
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** The composite primary key. */
    public record Key(UUID tenantId, String name, int version) implements Serializable {
        public Key() {
            this(null, null, 0);
        }
    }
}
