package dev.berth.store.repository;

import dev.berth.store.entity.SessionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Queries of {@code sessions}, always scoped by tenant; callers open the session or transaction. */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<SessionEntity, UUID> {

    public Uni<SessionEntity> findScoped(UUID tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId)
                .firstResult();
    }

    /** Newest first, by (createdAt, id), starting strictly after the cursor position when given. */
    public Uni<List<SessionEntity>> page(UUID tenantId, String actorId, Instant afterCreated, UUID afterId,
            int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters.with("tenant", tenantId);
        if (actorId != null) {
            query.append(" and actorId = :actor");
            params.and("actor", actorId);
        }
        if (afterCreated != null) {
            query.append(" and (createdAt < :created or (createdAt = :created and id < :id))");
            params.and("created", afterCreated).and("id", afterId);
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    public Uni<Long> deleteScoped(UUID tenantId, UUID id) {
        return delete("id = ?1 and tenantId = ?2", id, tenantId);
    }
}
