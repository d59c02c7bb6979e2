package dev.berth.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_keys}; mapped so that Hibernate validates the table at start. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;
    @Column(nullable = false)
    public String name;
    @Column(name = "key_hash", nullable = false)
    public byte[] keyHash;
    @Column(name = "key_prefix", nullable = false)
    public String keyPrefix;
    @Column(nullable = false)
    public boolean admin;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
