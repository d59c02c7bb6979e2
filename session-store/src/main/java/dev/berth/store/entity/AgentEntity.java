package dev.berth.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

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
    /**
     * The definition's JSON as text, cast to and from {@code jsonb} by PostgreSQL. Mapped as JSON,
     * Hibernate Reactive would parse it into a Vert.x {@code JsonObject} and the pg client would
     * serialise that again, both on an event loop: for an agent with large client-tool schemas
     * (up to about a megabyte) that held the loop for tens of milliseconds (issue 14).
     */
    @Column(nullable = false, columnDefinition = "jsonb")
    // The parameter is typed text first: typed jsonb at once, the pg client would send the text as a JSON string.
    @ColumnTransformer(read = "definition::text", write = "cast(cast(? as text) as jsonb)")
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
