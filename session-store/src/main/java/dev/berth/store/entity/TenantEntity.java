package dev.berth.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code tenants}; mapped so that Hibernate validates the table at start. */
@Entity
@Table(name = "tenants")
public class TenantEntity {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public boolean operator;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
